package dev.mdtload.cli;

import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: a carveout's base and size are checked before any file is opened, and the same way by
 * {@code map}, {@code load} and a manifest; an image that does not fit gets one line saying what would.
 */
class UsageFirstTest {
    @TempDir
    Path dir;

    /** One bad --phys/--size pair, and what the one line must say (option names as on the command line). */
    enum Bad {
        UNALIGNED_PHYS("0x8b200001", "0x500000", "--phys 0x8b200001 is not aligned to the 4096-byte page"),
        ZERO_SIZE("0x8b200000", "0", "--size 0 is not positive"),
        PART_OF_A_PAGE("0x8b200000", "0x500001", "--size 0x500001 is not a multiple of the 4096-byte page"),
        PAST_THE_END("0x7ffffffffffff000", "0x2000",
                "0x2000 bytes at --phys 0x7ffffffffffff000 run past the largest address a mapping can reach");

        final String phys;
        final String size;
        final String says;

        Bad(String phys, String size, String says) {
            this.phys = phys;
            this.size = size;
            this.says = says;
        }

        /** The same rule in a manifest's words: its fields are phys and size. */
        String saysInAManifest() {
            return says.replace("--phys", "phys").replace("--size", "size");
        }
    }

    @ParameterizedTest
    @EnumSource(Bad.class)
    void mapLoadAndManifests_refuseTheSameCarveoutAsAUsageError_beforeOpeningAnything(Bad bad) throws Exception {
        // the image does not exist: reaching it would be a different error (no such file)
        Path image = dir.resolve("absent.mdt");
        Path carveout = dir.resolve("carveout.bin");

        CliRun map = CliRun.of("map", image, "--phys", bad.phys, "--size", bad.size);
        CliRun load = CliRun.of("load", image, "--carveout", "file:" + carveout, "--phys", bad.phys, "--size", bad.size,
                "--pas-id", "9");
        Path manifest = Files.writeString(dir.resolve("manifest.yaml"), String.format("""
                scm: sim
                processors:
                  - {name: venus, image: absent.mdt, method: scm, pas_id: 9,
                     carveout: {spec: 'file:%s', phys: %s, size: %s}}
                """, carveout, bad.phys, bad.size));
        CliRun provision = CliRun.of("provision", manifest, "--root", dir);

        for (CliRun r : List.of(map, load)) {
            assertEquals(ExitCode.USAGE, r.exit(), r::toString);
            assertEquals(List.of("mdtload: " + bad.says), r.errLines());
        }
        assertEquals(ExitCode.USAGE, provision.exit(), provision::toString);
        assertEquals(List.of("mdtload: " + manifest + ":4: processor venus: " + bad.saysInAManifest()),
                provision.errLines());
        assertFalse(Files.exists(carveout), "no carveout created");
    }

    /** Without --phys there is no base to check yet (a DMA address, a uio map's own), but the size is checked first all the same. */
    @Test
    void load_withoutAPhysicalBase_refusesABadSizeBeforeOpeningAnything() {
        Path image = dir.resolve("absent.mdt");
        Path carveout = dir.resolve("carveout.bin");
        CliRun own = CliRun.of("load", image, "--carveout", "uio:uio0", "--size", "0x500001", "--pas-id", "9",
                "--root", dir);
        CliRun dma = CliRun.of("load", image, "--carveout", "file:" + carveout, "--dma", "venus:0x8b200000",
                "--size", "0x500001", "--pas-id", "9");
        for (CliRun r : List.of(own, dma)) {
            assertEquals(ExitCode.USAGE, r.exit(), r::toString);
            assertEquals(List.of("mdtload: --size 0x500001 is not a multiple of the 4096-byte page"), r.errLines());
        }
        assertFalse(Files.exists(carveout), "no carveout created");
    }

    @Test
    void load_refusesAnUnalignedMetadataBufferAsAUsageError() {
        Path carveout = dir.resolve("carveout.bin");
        CliRun r = CliRun.of("load", RealImage.VENUS.path(), "--carveout", "file:" + carveout, "--phys", "0x8b200000",
                "--size", "0x500000", "--pas-id", "9", "--metadata-phys", "0x8b100800");
        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
        assertEquals(List.of("mdtload: --metadata-phys 0x8b100800 is not aligned to the 4096-byte page"), r.errLines());
        assertFalse(Files.exists(carveout));
    }

    @Test
    void mapAndLoad_giveAFixedImageAtTheWrongBaseOneHint() {
        Path image = RealImage.WPSS.path();
        Path carveout = dir.resolve("carveout.bin");
        CliRun map = CliRun.of("map", image, "--phys", "0x8b200000", "--size", "0x1900000");
        CliRun load = CliRun.of("load", image, "--carveout", "file:" + carveout, "--phys", "0x8b200000", "--size",
                "0x1900000", "--pas-id", "6");
        for (CliRun r : List.of(map, load)) {
            assertEquals(ExitCode.INVALID, r.exit(), r::toString);
            List<String> errors = r.errLines().stream().filter(l -> !l.startsWith(CliRun.WARNING)).toList();
            assertEquals(1, errors.size(), r.err());
            assertTrue(errors.getFirst().startsWith("mdtload: " + image + ": segment 2: outside the carveout "
                    + "0x8b200000..0x8cb00000 (this and 6 more): "), errors.getFirst());
            assertTrue(errors.getFirst().endsWith("image is fixed at 0x9ae00000; use --phys 0x9ae00000 "
                    + "[segment-outside-carveout]"), errors.getFirst());
        }
        assertFalse(Files.exists(carveout));
    }

    @Test
    void mapAndLoad_sayWhatSizeARelocatableImageNeeds() {
        Path image = RealImage.VENUS.path();
        String needs = String.format("use --size 0x%x (its load size) [segment-outside-carveout]", RealImage.VENUS.loadSize);
        CliRun map = CliRun.of("map", image, "--phys", "0x8b200000", "--size", "0x1000");
        CliRun load = CliRun.of("load", image, "--carveout", "file:" + dir.resolve("c.bin"), "--phys", "0x8b200000",
                "--size", "0x1000", "--pas-id", "9");
        for (CliRun r : List.of(map, load)) {
            assertEquals(ExitCode.INVALID, r.exit(), r::toString);
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().strip().endsWith(needs), r.err());
        }
    }

    @Test
    void rprocStart_refusesATimeoutOfZero() {
        for (String timeout : List.of("0", "0s", "0ms", "-1")) {
            CliRun r = CliRun.of("rproc", "start", "wpss", RealImage.WPSS.path(), "--timeout=" + timeout, "--root", dir);
            assertEquals(ExitCode.USAGE, r.exit(), r::toString);
            assertTrue(r.err().contains("'" + timeout + "' is not longer than 0"), r.err());
        }
    }
}
