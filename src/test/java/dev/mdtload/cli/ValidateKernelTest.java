package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --kernel on validate: the verdict follows the named kernel's loader (Debian's 6.1.192 refused these with -ENOENT). */
class ValidateKernelTest {
    private static final Path SQUASHED = Path.of("firmware-samples/valid/v6-elf32-fixed-squashed.mbn");
    private static final Path ELF64 = Path.of("firmware-samples/valid/v6-elf64-fixed-split.mdt");

    @Test
    void squashedImage_isTakenForSplitBy61_andLoadedBy612() throws Exception {
        CliRun old = CliRun.of("validate", "--kernel", "6.1.192", SQUASHED);
        assertEquals(1, old.exit(), old::toString);
        assertTrue(old.err().contains("segment 2: kernel 6.1.192 takes the file for split (segment 4: p_filesz 0")
                && old.err().contains("-ENOENT loading v6-elf32-fixed-squashed.b02 [taken-as-split]"), old::toString);
        CliRun newer = CliRun.of("validate", "--json", "--kernel", "6.12.95", SQUASHED);
        assertEquals(0, newer.exit(), newer::toString);
        JsonNode report = CliRun.result(newer.out());
        assertEquals("6.12.95", report.get("kernel").asText());
        // mainline before 6.5 has neither the header-based split detection nor its fix: each segment
        // is read from the file where it fits
        CliRun mainline64 = CliRun.of("validate", "--kernel", "6.4", SQUASHED);
        assertEquals(0, mainline64.exit(), mainline64::toString);
    }

    @Test
    void all_namesEachVersionRange() {
        CliRun r = CliRun.of("validate", "--kernel", "all", SQUASHED, ELF64);
        assertEquals(1, r.exit(), r::toString);
        String squashed = r.outLines().getFirst();
        assertTrue(squashed.startsWith(SQUASHED + ": loads on 6.1 up to 6.1.192; 6.1.192 up to 6.2: ")
                && squashed.contains("[taken-as-split]")
                && squashed.endsWith("; loads on 6.2 and later"), squashed);
        String elf64 = r.outLines().get(1);
        assertTrue(elf64.startsWith(ELF64 + ": 6.1 and later: ") && elf64.endsWith("[elf64-not-loadable]"), elf64);
    }

    @Test
    void none_isMdtloadsOwnReading_andAnUnmodelledKernelIsAUsageError() {
        assertEquals(0, CliRun.of("validate", "--kernel", "none", ELF64).exit());
        CliRun old = CliRun.of("validate", "--kernel", "5.15", ELF64);
        assertEquals(ExitCode.USAGE, old.exit(), old::toString);
        assertTrue(old.err().contains("--kernel: kernel 5.15 is older than the model covers"), old::toString);
        CliRun load = CliRun.of("load", "--kernel", "all", SQUASHED, "--carveout", "file:/nonexistent", "--phys",
                "0x4b000000", "--size", "0x5000", "--pas-id", "6", "--scm", "sim");
        assertEquals(ExitCode.USAGE, load.exit(), load::toString);
    }
}
