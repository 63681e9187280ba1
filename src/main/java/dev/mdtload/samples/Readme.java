package dev.mdtload.samples;

import dev.mdtload.check.Rule;
import dev.mdtload.kernel.KernelVersion;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The samples directory's README.md, written from the catalogue itself so that it cannot drift from it. */
final class Readme {
    private Readme() {}

    static String render(List<Sample> valid, List<Sample> broken, List<Sample> warned,
                         List<KernelSamples.KernelSample> kernel, Map<Rule, String> withoutSample) {
        StringBuilder out = new StringBuilder();
        out.append("""
                # firmware-samples

                Synthetic Qualcomm PIL images for tests and for trying mdtload without real firmware.
                `valid/`, `broken/` and this README are written by `bin/mdtload samples firmware-samples`
                (`dev.mdtload.samples.SampleGenerator`, run by `make`), the same bytes on every run;
                `bin/mdtload samples firmware-samples --check` (run by `make test`) fails when they and the
                generator disagree. Change the generator, not the files; anything else in this directory is
                left alone.

                Every image is laid out as the real firmware in `../shared/firmware` is (by
                `dev.mdtload.mbn.ImageAssembler`): program header 0 covers the ELF and program headers
                (PT_NULL, QCOM type 7), 1 is the hash segment (PT_NULL, QCOM type 2, at file offset 0x1000),
                then PT_LOAD segments at page-aligned offsets. Unless a line below says otherwise they are
                2 = code (%d bytes, R-X, p_memsz 0x%x), 3 = data (%d bytes, RW-, p_memsz 0x%x: the tail is
                zero-filled) and 4 = bss (p_filesz 0, p_memsz 0x%x). Signature and certificate chain are empty.

                ## valid/

                `mdtload validate --kernel none firmware-samples/valid` (mdtload's own reading) accepts every
                one (exit 0). Kernels differ (`mdtload validate --kernel all`; checked against Debian's real
                6.1.192 and 6.12.95 by `KernelOracleTest`): no kernel loads the ELF64 ones
                (`elf64-not-loadable`), and 6.1.192 (split detection backported without its 6.5 fix) takes the
                ELF32 squashed ones for split (`taken-as-split`). The verdicts below (broken/, warning/) are `--kernel none`'s.

                | image | what it is |
                |---|---|
                """.formatted(SampleImage.CODE_SIZE, SampleImage.CODE_MEMSZ, SampleImage.DATA_SIZE,
                SampleImage.DATA_MEMSZ, SampleImage.BSS_MEMSZ));
        for (Sample s : valid) {
            out.append(row(s.image(), s.description()));
        }
        out.append("""

                ## broken/

                One directory per error rule, named after its id; its image breaks that rule and no other, so
                `mdtload validate` exits 1 and names exactly that rule id. `segment-outside-carveout` is
                the exception: its image is valid on its own and fails only against the carveout in its
                `%s` (`mdtload map IMAGE --phys PHYS --size SIZE`).

                | rule | image | what is wrong |
                |---|---|---|
                """.formatted(BrokenSamples.CARVEOUT_FILE));
        for (Sample s : broken) {
            out.append("| `").append(s.rule().id()).append("` ").append(row(s.image(), s.description()));
        }
        out.append("""

                ## warning/

                One directory per warning rule (unusual, but the device loads it: `docs/rules.md`), named
                after its id; its image is valid and carries that warning and no other, so `mdtload validate`
                exits 0 and lists the rule id, and `mdtload validate --strict` exits 1. Three are the shapes
                of real linux-firmware images that mdtload once refused.

                | rule | image | what is unusual |
                |---|---|---|
                """);
        for (Sample s : warned) {
            out.append("| `").append(s.rule().id()).append("` ").append(row(s.image(), s.description()));
        }
        out.append("""

                ## kernel/

                One directory per rule that depends on the kernel's version, named after its id; its image is
                valid by mdtload's own reading (`--kernel none`), refused with that rule by the releases in
                the third column (`mdtload validate --kernel VERSION` exits 1) and loaded by those in the
                fourth. `mdtload validate --kernel all` prints the ranges.

                | rule | image | what it is | refused by | loaded by |
                |---|---|---|---|---|
                """);
        for (KernelSamples.KernelSample k : kernel) {
            Sample s = k.sample();
            out.append("| `").append(s.rule().id()).append("` ")
                    .append(row(s.image(), s.description()).stripTrailing())
                    .append(' ').append(versions(k.refusedBy())).append(" | ").append(versions(k.loadedBy())).append(" |\n");
        }
        out.append("""

                ## Rules without a sample

                """);
        withoutSample.forEach((rule, why) -> out.append("- `").append(rule.id()).append("`: ").append(why).append(".\n"));
        return out.toString();
    }

    private static String versions(List<KernelVersion> releases) {
        return releases.stream().map(KernelVersion::toString).collect(Collectors.joining(", "));
    }

    private static String row(String image, String description) {
        return "| [`" + image + "`](" + image + ") | " + description.replace("|", "\\|") + " |\n";
    }
}
