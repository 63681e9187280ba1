package dev.mdtload.scm;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.Carveouts;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.SimProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link SecureMonitor} backend does alike, shown with a real relocatable image (venus)
 * loaded into a carveout file: the PAS calls reach the secure world in the order they are made,
 * one each; an address that does not fit the convention stops a call before it reaches anything;
 * a peripheral is stopped after a failed authentication. Each backend says how its secure world
 * is seen from outside: after each call, what it shows; and how many calls reached it.
 */
abstract class SecureMonitorContract {
    static final long PAS_ID = 9;
    static final PhysAddr BASE = PhysAddr.of(0x4000_0000L);
    static final PhysAddr SHARED = PhysAddr.of(0x8000_0000L);

    @TempDir
    Path dir;

    RealFirmware venus;
    Path carveout;

    /** Opens the backend under test with {@code setup}. */
    abstract SecureMonitor open(SecureWorldSetup setup) throws IOException;

    /** How many calls reached the secure world (for a recorder, how many were recorded). */
    abstract long reached(SecureMonitor monitor) throws IOException;

    /** What the secure world shows of peripheral {@code pasId} just after a call. */
    abstract String shown(SecureMonitor monitor, long pasId) throws IOException;

    /** {@link #shown} after init_image, mem_setup, auth_and_reset and shutdown of a good image, in that order. */
    abstract List<String> shownAfterEachCallOfABoot();

    @BeforeEach
    void writeVenus() throws IOException {
        venus = RealFirmware.copy("qcom/venus-5.2/venus.mbn", Files.createDirectory(dir.resolve("firmware")));
        carveout = venus.writeCarveout(dir.resolve("venus.bin"), BASE.value(), venus.loadSize(), BASE.value());
    }

    private SecureMonitor openWithVenus(PhysAddr shared) throws IOException {
        return open(new SecureWorldSetup(shared, List.of(new SecureWorldSetup.Peripheral(PAS_ID,
                new CarveoutSpec.File(carveout), new Carveouts.Request(new Carveouts.Base.Given(BASE), venus.loadSize())))));
    }

    private MetadataBuffer metadata(SecureMonitor monitor) throws Exception {
        byte[] blob = venus.metadata();
        MetadataBuffer buffer = monitor.allocateMetadata(blob.length);
        MemorySegment.copy(blob, 0, buffer.memory(), ValueLayout.JAVA_BYTE, 0, blob.length);
        return buffer;
    }

    @Test
    void aBootsCalls_reachTheSecureWorldInOrder_oneEach() throws Exception {
        try (SecureMonitor monitor = openWithVenus(SHARED)) {
            PasClient pas = new PasClient(monitor, ScmConvention.SMC64);
            List<PasClientCall> boot = List.of(
                    () -> pas.initImage(PAS_ID, metadata(monitor)),
                    () -> pas.memSetup(PAS_ID, BASE, venus.loadSize()),
                    () -> pas.authAndReset(PAS_ID),
                    () -> pas.shutdown(PAS_ID));
            List<String> shown = new ArrayList<>();
            for (int i = 0; i < boot.size(); i++) {
                boot.get(i).run();
                assertEquals(i + 1, reached(monitor), "one call per step");
                shown.add(shown(monitor, PAS_ID));
            }
            assertEquals(shownAfterEachCallOfABoot(), shown);
        }
    }

    @Test
    void anAddressThatDoesNotFitTheConvention_isRefusedBeforeAnyCall() throws Exception {
        try (SecureMonitor monitor = openWithVenus(SHARED)) {
            PasClient legacy = new PasClient(monitor, ScmConvention.LEGACY);
            // ends 1 MiB past 4 GiB: the start fits 32 bits, the end does not
            UsageFailure e = assertThrows(UsageFailure.class,
                    () -> legacy.memSetup(PAS_ID, PhysAddr.of(0xfff0_0000L), 0x20_0000));
            assertTrue(e.getMessage().contains("32-bit") && e.getMessage().contains("mem_setup"), e.getMessage());
            assertEquals(0, reached(monitor));
        }
    }

    @Test
    void metadataAbove4GiB_isRefusedOn32BitConventions_beforeAnyCall_andAcceptedOnSmc64() throws Exception {
        try (SecureMonitor monitor = openWithVenus(PhysAddr.of(0x1_8000_0000L))) {
            MetadataBuffer high = metadata(monitor);
            for (ScmConvention narrow : List.of(ScmConvention.SMC32, ScmConvention.LEGACY)) {
                UsageFailure e = assertThrows(UsageFailure.class,
                        () -> new PasClient(monitor, narrow).initImage(PAS_ID, high));
                assertTrue(e.getMessage().contains("32-bit"), e.getMessage());
            }
            assertEquals(0, reached(monitor));
            new PasClient(monitor, ScmConvention.SMC64).initImage(PAS_ID, high);
            assertEquals(1, reached(monitor));
        }
    }

    @Test
    void aPeripheralIsStopped_byAShutdownAfterAFailedAuth() throws Exception {
        try (SecureMonitor monitor = openWithVenus(SHARED)) {
            PasClient pas = new PasClient(monitor, ScmConvention.SMC64);
            pas.initImage(PAS_ID, metadata(monitor));
            pas.memSetup(PAS_ID, BASE, venus.loadSize());
            RawElf.Phdr first = venus.loadable().stream().filter(p -> p.filesz() > 0).findFirst().orElseThrow();
            SimProbe.invertByte(carveout, venus.placedAt(first, BASE.value()) - BASE.value() + first.filesz() / 2);
            if (monitor.authenticates()) {
                ScmException refused = assertThrows(ScmException.class, () -> pas.authAndReset(PAS_ID));
                assertEquals(PasCommand.AUTH_AND_RESET, refused.command());
            } else {
                assertDoesNotThrow(() -> pas.authAndReset(PAS_ID), "a recorder judges nothing");
            }
            pas.shutdown(PAS_ID);
            assertEquals(4, reached(monitor));
            assertEquals(shownAfterEachCallOfABoot().getLast(), shown(monitor, PAS_ID), "stopped");
        }
    }

    @Test
    void sharedBuffers_arePageAlignedAndCountUpFromTheSharedBase() throws Exception {
        try (SecureMonitor monitor = openWithVenus(SHARED)) {
            MetadataBuffer a = monitor.allocateMetadata(100);
            MetadataBuffer b = monitor.allocateMetadata(5000);
            MetadataBuffer c = monitor.allocateMetadata(1);
            assertEquals(List.of(SHARED, SHARED.plus(0x1000), SHARED.plus(0x3000)), List.of(a.addr(), b.addr(), c.addr()));
            assertEquals(List.of(100L, 5000L, 1L), List.of(a.memory().byteSize(), b.memory().byteSize(), c.memory().byteSize()));
            assertEquals(0, b.memory().address() % 4096, "the caller's view is page aligned too");
            assertThrows(IllegalArgumentException.class, () -> monitor.allocateMetadata(0));
            assertEquals(0, reached(monitor), "allocating is no call");
        }
    }

    @FunctionalInterface
    private interface PasClientCall {
        void run() throws Exception;
    }
}
