package dev.mdtload.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelRulesTest {
    @Test
    void version_parsesReleasesAndUnameStrings() {
        assertEquals(new KernelVersion(6, 1, 192), KernelVersion.parse("6.1.192"));
        assertEquals(new KernelVersion(6, 12, 95), KernelVersion.parse("6.12.95+deb12-arm64"));
        assertEquals(new KernelVersion(6, 1, 0), KernelVersion.parse("6.1.0-57-arm64"));
        assertEquals(new KernelVersion(6, 17, 0), KernelVersion.parse("6.17"));
        assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse("six"));
        assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse("6.99999999999.1"));
        assertTrue(KernelVersion.parse("6.12").compareTo(KernelVersion.parse("6.1.192")) > 0);
    }

    /** What the two Debian kernels showed (the oracle), and the mainline releases the commits landed in. */
    @Test
    void changes_applyFromTheirMainlineReleaseAndOnTheStableReleasesSeenToCarryThem() {
        KernelRules debian61 = KernelRules.of("6.1.192");
        KernelRules debian612 = KernelRules.of("6.12.95");
        assertFalse(debian61.has(LoaderChange.SPLIT_SKIPS_EMPTY_HEADERS));
        assertTrue(debian61.has(LoaderChange.SPLIT_DETECTED_FROM_HEADERS), "the backport without its fix");
        assertFalse(KernelRules.of("6.1.100").has(LoaderChange.SPLIT_DETECTED_FROM_HEADERS));
        assertFalse(KernelRules.of("6.4").has(LoaderChange.SPLIT_DETECTED_FROM_HEADERS), "mainline took both in 6.5");
        assertTrue(KernelRules.of("6.5").has(LoaderChange.SPLIT_DETECTED_FROM_HEADERS));
        assertTrue(debian612.has(LoaderChange.SPLIT_SKIPS_EMPTY_HEADERS));
        assertTrue(debian61.has(LoaderChange.HEADER_CHECKS));
        assertTrue(debian612.has(LoaderChange.HEADER_CHECKS));
        assertFalse(KernelRules.of("6.1.100").has(LoaderChange.HEADER_CHECKS), "a point release before the one seen");
        assertFalse(KernelRules.of("6.13").has(LoaderChange.HEADER_CHECKS), "no backport is known for 6.13");
        assertTrue(KernelRules.of("6.17").has(LoaderChange.HEADER_CHECKS));
        assertFalse(debian61.has(LoaderChange.E_PHOFF_HONOURED));
        assertTrue(debian612.has(LoaderChange.E_PHOFF_HONOURED));
        assertTrue(debian61.has(LoaderChange.FILESZ_WITHIN_MEMSZ));
    }

    /** The DTB row (6.3) changes which files are asked for, not a verdict: no range starts there. */
    @Test
    void boundaries_areTheOldestReleaseAndEveryReleaseWhereAChangeArrives() {
        assertTrue(KernelRules.of("6.3").has(LoaderChange.DTB_PAS_IMAGES));
        assertEquals(List.of("6.1", "6.1.192", "6.2", "6.5", "6.12.95", "6.13", "6.17"),
                KernelRules.boundaries().stream().map(KernelVersion::toString).toList());
        assertEquals("6.17", KernelRules.newest().toString());
    }

    @Test
    void olderKernels_areRefusedRatherThanGuessed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelRules.of("5.15.120"));
        assertTrue(e.getMessage().contains("6.1"), e.getMessage());
    }

    @Test
    void default_isTheRunningKernelOnlyOnAQualcommBoard(@TempDir Path root) throws IOException {
        assertEquals(KernelRules.newest(), RunningKernel.defaultRules(root), "nothing readable: not a board");
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-57-arm64\n");
        Files.createDirectories(root.resolve("sys/firmware/devicetree/base"));
        Path compatible = root.resolve("sys/firmware/devicetree/base/compatible");
        Files.write(compatible, "linux,dummy-virt\0".getBytes());
        assertEquals(KernelRules.newest(), RunningKernel.defaultRules(root), "a QEMU virt machine is no board");
        Files.write(compatible, "thundercomm,db845c\0qcom,sdm845\0".getBytes());
        assertEquals(KernelRules.of("6.1"), RunningKernel.defaultRules(root));
    }
}
