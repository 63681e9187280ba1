package dev.mdtload.hostile;

import dev.mdtload.scm.SecureWorldSetup;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.ReservedMemory;
import dev.mdtload.check.Violation;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;
import dev.mdtload.load.LoadPlan;
import dev.mdtload.load.LoadRequest;
import dev.mdtload.load.Loader;
import dev.mdtload.load.Target;
import dev.mdtload.scm.PasClient;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.scm.SimSecureMonitor;
import dev.mdtload.testing.FakeBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files cut short between the step that measured and mapped them and the step that reads them.
 * Validation's digests read the open files, and come up short; the load copies from the mappings,
 * where a page past a file's new end faults (SIGBUS) and the JVM raises that as an InternalError.
 * Each test truncates between two API calls, so nothing here is a race.
 */
class PartsChangingTest {
    /** The sample's layout (firmware-samples/README.md): fixed at 0x4b000000, code is segment 2, data segment 3. */
    private static final long BASE = 0x4b00_0000L;
    private static final long CARVEOUT_SIZE = 0x1_0000;
    private static final int PAS_ID = 6;

    @TempDir
    Path dir;

    private Path copyValid(String name) {
        FakeBoard.copyTree(FakeBoard.SAMPLES.resolve("valid"), dir.resolve("img"));
        return dir.resolve("img").resolve(name);
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    private static List<String> rulesAndSegments(ImageReport report) {
        return report.errors().stream().map(v -> v.rule().id() + "@" + v.segment()).toList();
    }

    @Test
    void validate_reportsPartChanged_whenASplitPartIsCutShortAfterOpening() throws Exception {
        Path mdt = copyValid("v6-elf32-fixed-split.mdt");
        try (FirmwareImage image = FirmwareImage.open(mdt)) {
            truncate(mdt.resolveSibling("v6-elf32-fixed-split.b02"), 0);
            ImageReport report = new Validator(false).validate(image);
            assertFalse(report.valid());
            assertEquals(List.of("part-changed@2"), rulesAndSegments(report));
            Violation v = report.errors().getFirst();
            assertTrue(v.line().startsWith(mdt + ": segment 2: v6-elf32-fixed-split.b02 changed size"), v.line());
        }
    }

    @Test
    void validate_reportsPartChanged_whenASquashedImageIsCutShortAfterOpening() throws Exception {
        Path mbn = copyValid("v6-elf32-fixed-squashed.mbn");
        try (FirmwareImage image = FirmwareImage.open(mbn)) {
            // the code and data segments start at 0x2000 and 0x3000 (the README's page-aligned layout)
            truncate(mbn, 0x2000);
            ImageReport report = new Validator(false).validate(image);
            assertEquals(List.of("part-changed@2", "part-changed@3"), rulesAndSegments(report));
        }
    }

    private LoadRequest request(Path image, Path carveout) throws Exception {
        return new LoadRequest(image, CarveoutSpec.parse("file:" + carveout), new Target.Phys(PhysAddr.of(BASE)),
                CARVEOUT_SIZE, PAS_ID, new IommuMap(List.of()), dir, ReservedMemory.NONE);
    }

    private Path patternedCarveout() throws IOException {
        byte[] old = new byte[(int) CARVEOUT_SIZE];
        Arrays.fill(old, (byte) 0xa5);
        return Files.write(dir.resolve("carveout.bin"), old);
    }

    @Test
    void execute_failsCleanlyAndWipesTheCarveout_whenAPartIsCutShortAfterPlanning() throws Exception {
        Path mdt = copyValid("v6-elf32-fixed-split.mdt");
        Path carveout = patternedCarveout();
        try (LoadPlan plan = Loader.plan(request(mdt, carveout));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(PhysAddr.of(BASE - 0x10_0000), List.of(plan.peripheral())))) {
            // the code segment (.b02) is copied before the data segment (.b03) faults
            truncate(mdt.resolveSibling("v6-elf32-fixed-split.b03"), 0);
            IOException e = assertThrows(IOException.class,
                    () -> new Loader(sim, new PasClient(sim, ScmConvention.SMC64)).execute(plan));
            assertEquals(mdt + ": segment 3: v6-elf32-fixed-split.b03 changed while it was being copied", e.getMessage());
            assertInstanceOf(InternalError.class, e.getCause(), "this JDK raises a mapped-file fault as InternalError");
            assertEquals(SimSecureMonitor.PeripheralState.IDLE, sim.state(PAS_ID), "the peripheral is shut down again");
        }
        // wiped: neither the code segment written before the fault nor the old bytes remain
        assertArrayEquals(new byte[(int) CARVEOUT_SIZE], Files.readAllBytes(carveout));
    }

    @Test
    void execute_failsCleanlyAndWritesNothing_whenTheMdtIsCutShortAfterPlanning() throws Exception {
        Path mdt = copyValid("v6-elf32-fixed-split.mdt");
        Path carveout = patternedCarveout();
        byte[] before = Files.readAllBytes(carveout);
        try (LoadPlan plan = Loader.plan(request(mdt, carveout));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(PhysAddr.of(BASE - 0x10_0000), List.of(plan.peripheral())))) {
            truncate(mdt, 0);
            IOException e = assertThrows(IOException.class,
                    () -> new Loader(sim, new PasClient(sim, ScmConvention.SMC64)).execute(plan));
            assertEquals(mdt + ": metadata (segment 0 and the hash segment) changed while it was being copied",
                    e.getMessage());
            assertEquals(0, sim.callCount(), "the secure world was never asked");
        }
        assertArrayEquals(before, Files.readAllBytes(carveout));
    }
}
