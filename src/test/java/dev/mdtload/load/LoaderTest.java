package dev.mdtload.load;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.scm.SecureWorldSetup;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.ReservedMemory;
import dev.mdtload.scm.PasClient;
import dev.mdtload.scm.PasCommand;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.scm.ScmException;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SimSecureMonitor;
import dev.mdtload.scm.SimSecureMonitor.PeripheralState;
import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import dev.mdtload.testing.SimProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader against the simulated secure world, for what only the library API can stage: memory
 * changing under a load between the copy and the authentication, and refusals that must come
 * before the secure world hears a single call.
 */
@EnabledOnOs(OS.LINUX)
class LoaderTest {
    private static final int PAS_ID = 9;
    private static final PhysAddr LOW_METADATA = PhysAddr.of(0x4000_0000L);

    @TempDir
    Path dir;

    private LoadRequest request(Path image, Path carveout, long phys, long size) {
        return new LoadRequest(image, new CarveoutSpec.File(carveout), new Target.Phys(PhysAddr.of(phys)),
                size, PAS_ID, IommuMap.empty(), Path.of("/"), ReservedMemory.NONE);
    }

    /** Physical address of the middle of the first segment with file bytes, loaded at {@code base}. */
    private static PhysAddr insideFirstSegment(ExpectedCarveout expected, long base) {
        RawElf.Phdr first = expected.loadable().stream().filter(p -> p.filesz() > 0).findFirst().orElseThrow();
        return PhysAddr.of(base + expected.offset(first, base) + first.filesz() / 2);
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"WPSS", "VENUS"})
    void execute_whenACarveoutByteFlipsBetweenCopyAndAuth_theSimulatedSecureWorldRefuses_andTheCarveoutIsWiped(
            RealImage image) throws Exception {
        Path carveout = dir.resolve("carveout.bin");
        long base = image.minAddress;
        SimProbe probe = SimProbe.flippingBeforeAuth(PAS_ID, carveout,
                insideFirstSegment(ExpectedCarveout.of(image.path()), base).value() - base);

        try (LoadPlan plan = Loader.plan(request(image.path(), carveout, base, image.loadSize));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(LOW_METADATA, List.of(plan.peripheral())))) {
            SecureMonitor monitor = probe.apply(sim);
            ScmException refused = assertThrows(ScmException.class,
                    () -> new Loader(monitor, new PasClient(monitor, ScmConvention.SMC64)).execute(plan));

            assertEquals(PasCommand.AUTH_AND_RESET, refused.command());
            assertEquals("EIO", refused.errnoName(), refused.getMessage());
            assertEquals(PeripheralState.IDLE, sim.state(PAS_ID), "the peripheral is shut down");
        }
        assertEquals(image.loadSize, Files.size(carveout));
        ExpectedCarveout.assertAllZero(carveout);
    }

    @FunctionalInterface
    private interface Tamper {
        void apply(Path image) throws IOException;
    }

    /**
     * Plans a copy of wpss, lets {@code tamper} change its files as another process might once the
     * checks have passed, then executes: the load must fail with {@code expected}, leaving the
     * carveout wiped and the peripheral shut down.
     */
    private <E extends Exception> E failsAfterValidation(Class<E> expected, Tamper tamper) throws Exception {
        RealImage wpss = RealImage.WPSS;
        Path image = wpss.copyTo(dir.resolve("firmware"));
        Path carveout = dir.resolve("carveout.bin");
        E thrown;
        try (LoadPlan plan = Loader.plan(request(image, carveout, wpss.minAddress, wpss.loadSize));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(LOW_METADATA, List.of(plan.peripheral())))) {
            tamper.apply(image);
            thrown = assertThrows(expected, () -> new Loader(sim, new PasClient(sim, ScmConvention.SMC64)).execute(plan));
            assertEquals(PeripheralState.IDLE, sim.state(PAS_ID), "the peripheral is shut down");
        }
        ExpectedCarveout.assertAllZero(carveout);
        return thrown;
    }

    private static Path part(Path image, int index) {
        return image.resolveSibling(RealImage.WPSS.part(index).getFileName());
    }

    @Test
    void execute_whenAPartChangesAfterValidation_theSecureWorldCatchesWhatWasCopied_andTheCarveoutIsWiped()
            throws Exception {
        // the copy reads the mapped part, so it copies the changed byte; auth_and_reset refuses it
        ScmException refused = failsAfterValidation(ScmException.class,
                image -> SimProbe.invertByte(part(image, 2), 100));
        assertEquals(PasCommand.AUTH_AND_RESET, refused.command());
    }

    @Test
    void execute_whenAPartIsCutShortAfterValidation_failsTheCopy_wipesTheCarveout_andShutsThePeripheralDown()
            throws Exception {
        IOException e = failsAfterValidation(IOException.class, image -> {
            try (FileChannel channel = FileChannel.open(part(image, 4), WRITE)) {
                channel.truncate(0);
            }
        });
        assertTrue(e.getMessage().contains("segment 4") && e.getMessage().contains("changed while it was being copied"),
                e.getMessage());
    }

    @Test
    void execute_refusesACarveoutAbove4GiB_onTheLegacyConvention_beforeOpeningItOrCallingAnything() throws Exception {
        RealImage venus = RealImage.VENUS;
        Path carveout = dir.resolve("carveout.bin");

        try (LoadPlan plan = Loader.plan(request(venus.path(), carveout, 0x1_0000_0000L, venus.loadSize));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(LOW_METADATA, List.of(plan.peripheral())))) {
            UsageFailure e = assertThrows(UsageFailure.class,
                    () -> new Loader(sim, new PasClient(sim, ScmConvention.LEGACY)).execute(plan));

            assertTrue(e.getMessage().contains("32-bit"), e.getMessage());
            assertEquals(0, sim.callCount());
        }
        assertFalse(Files.exists(carveout));
    }

    @Test
    void execute_refusesAMetadataBufferAbove4GiB_onTheLegacyConvention_beforeOpeningTheCarveout() throws Exception {
        // the carveout fits 32 bits; the buffer the metadata would be handed over in does not
        RealImage m3 = RealImage.M3_FW;
        Path carveout = dir.resolve("carveout.bin");

        try (LoadPlan plan = Loader.plan(request(m3.path(), carveout, m3.minAddress, m3.loadSize));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(PhysAddr.of(0x1_0000_0000L), List.of(plan.peripheral())))) {
            UsageFailure e = assertThrows(UsageFailure.class,
                    () -> new Loader(sim, new PasClient(sim, ScmConvention.LEGACY)).execute(plan));

            assertTrue(e.getMessage().contains("metadata") && e.getMessage().contains("32-bit"), e.getMessage());
            assertEquals(0, sim.callCount());
        }
        assertFalse(Files.exists(carveout));
    }
}
