package dev.mdtload.samples;

import dev.mdtload.elf.ElfClass;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.HashSegment;

import java.util.ArrayList;
import java.util.List;

/** Every MBN version x ELF class x fixed/relocatable x split/squashed, each a valid image. */
final class ValidSamples {
    private ValidSamples() {}

    static List<Sample> all() {
        List<Sample> samples = new ArrayList<>();
        for (int version : HashSegment.VERSIONS) {
            for (ElfClass c : ElfClass.values()) {
                for (boolean relocatable : List.of(false, true)) {
                    SampleImage image = new SampleImage(version, c, relocatable);
                    String name = String.format("valid/v%d-elf%d-%s", version, c.bits(), relocatable ? "reloc" : "fixed");
                    samples.add(new Sample(name + "-split.mdt", null,
                            image.describe() + "; split: .mdt (headers + hash segment) and .b00..b04, b04 empty (bss)",
                            path -> assemble(image).writeSplit(path)));
                    samples.add(new Sample(name + "-squashed.mbn", null,
                            image.describe() + "; one squashed file",
                            path -> assemble(image).writeSquashed(path)));
                }
            }
        }
        return samples;
    }

    private static Assembled assemble(SampleImage image) {
        return image.builder().build().assemble();
    }
}
