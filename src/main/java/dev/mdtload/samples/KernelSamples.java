package dev.mdtload.samples;

import dev.mdtload.check.Rule;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.kernel.KernelVersion;

import java.util.List;

/**
 * Images whose verdict depends on the kernel ({@code kernel/<rule-id>/}): valid by mdtload's own
 * reading, refused by some kernel releases with the rule the directory is named after, loaded by
 * others. Which releases do what is declared here from the kernel's history, not computed by the
 * model, so the samples test the model ({@code KernelSamplesTest}).
 */
final class KernelSamples {
    private KernelSamples() {}

    /**
     * @param sample   the image; its rule is the one the refusing kernels break
     * @param refusedBy releases that refuse it with that rule
     * @param loadedBy  releases that load it
     */
    record KernelSample(Sample sample, List<KernelVersion> refusedBy, List<KernelVersion> loadedBy) {
        KernelSample {
            refusedBy = List.copyOf(refusedBy);
            loadedBy = List.copyOf(loadedBy);
        }
    }

    /** Where the phoff sample puts its program headers: 12 bytes of zeros after the 52-byte ELF32 header. */
    static final long MOVED_PHOFF = 0x40;

    private static final SampleImage V6 = new SampleImage(6, ElfClass.ELF32, false);

    static List<KernelSample> all() {
        Rule rule = Rule.PHOFF_IGNORED;
        Sample phoff = new Sample("kernel/" + rule.id() + "/" + rule.id() + ".mdt", rule,
                V6.describe() + ", split: e_phoff 0x40, the program-header table after 12 zero bytes; segment 0 "
                        + "covers the gap, so its digest is over the bytes the kernel is sent",
                path -> V6.builder().programHeaderOffset(MOVED_PHOFF).build().assemble().writeSplit(path));
        // 47e339cac891 "soc: qcom: mdt_loader: Actually use the e_phoff": mainline 6.17, in 6.12.95;
        // 6.1 (any point release), 6.12.94 and 6.16 read the table at byte 52
        return List.of(new KernelSample(phoff,
                List.of(v("6.1"), v("6.1.192"), v("6.12.94"), v("6.16")),
                List.of(v("6.12.95"), v("6.17"))));
    }

    private static KernelVersion v(String text) {
        return KernelVersion.parse(text);
    }

    static List<Sample> samples() {
        return all().stream().map(KernelSample::sample).toList();
    }
}
