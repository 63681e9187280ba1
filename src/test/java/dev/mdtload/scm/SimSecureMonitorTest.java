package dev.mdtload.scm;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.Carveouts;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.scm.ScmArg.Access;
import dev.mdtload.scm.ScmArg.Buffer;
import dev.mdtload.scm.ScmArg.Value;
import dev.mdtload.scm.SimSecureMonitor.PeripheralState;
import dev.mdtload.testing.RawElf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static dev.mdtload.scm.KernelScm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulated secure world, through FFM, against real firmware laid out by the test's own reader. */
@EnabledOnOs(OS.LINUX)
class SimSecureMonitorTest {
    private static final String WPSS = "ath11k/WCN6750/hw1.0/wpss.mdt";
    private static final String VENUS = "qcom/venus-5.2/venus.mbn";
    private static final long WPSS_PAS = 6;
    private static final long VENUS_PAS = 9;
    /** The carveout the ath11k device tree reserves for WPSS: exactly the image's span (firmware README). */
    private static final long WPSS_PHYS = 0x9ae0_0000L;
    private static final long WPSS_SIZE = 26214400;
    private static final PhysAddr SHARED_LOW = PhysAddr.of(0x8000_0000L);
    private static final PhysAddr SHARED_HIGH = PhysAddr.of(0x1_8000_0000L);
    private static final PhysAddr VENUS_BASE = PhysAddr.of(0x4000_0000L);

    @TempDir
    static Path firmwareDir;
    private static RealFirmware wpss;
    private static RealFirmware venus;

    @TempDir
    Path dir;

    @BeforeAll
    static void copyFirmware() throws IOException {
        wpss = RealFirmware.copy(WPSS, firmwareDir);
        venus = RealFirmware.copy(VENUS, firmwareDir);
        // the test's reader agrees with the firmware README before anything is built from it
        assertEquals(WPSS_SIZE, wpss.loadSize());
        assertEquals(5242880, venus.loadSize());
        assertTrue(wpss.split);
        assertTrue(venus.relocatable());
    }

    private Path wpssCarveout() throws IOException {
        return wpss.writeCarveout(dir.resolve("wpss-carveout.bin"), WPSS_PHYS, WPSS_SIZE, WPSS_PHYS);
    }

    private static MetadataBuffer metadata(SecureMonitor monitor, byte[] blob) throws Exception {
        MetadataBuffer buffer = monitor.allocateMetadata(blob.length);
        MemorySegment.copy(blob, 0, buffer.memory(), ValueLayout.JAVA_BYTE, 0, blob.length);
        return buffer;
    }

    /** The simulated secure world, told that peripheral {@code pasId} is loaded into {@code carveout}. */
    private static SimSecureMonitor simWith(long pasId, CarveoutSpec carveout, PhysAddr base, long size)
            throws IOException {
        return SimSecureMonitor.open(new SecureWorldSetup(SHARED_LOW, List.of(new SecureWorldSetup.Peripheral(pasId,
                carveout, new Carveouts.Request(new Carveouts.Base.Given(base), size)))));
    }

    /** As {@link #simWith(long, CarveoutSpec, PhysAddr, long)}, the carveout a file standing for {@code base}. */
    private static SimSecureMonitor simWith(long pasId, Path file, PhysAddr base, long size) throws IOException {
        return simWith(pasId, new CarveoutSpec.File(file), base, size);
    }

    /** The simulated secure world with no peripheral's memory, its shared buffers at {@code shared}. */
    private static SimSecureMonitor sim(PhysAddr shared) throws IOException {
        return SimSecureMonitor.open(SecureWorldSetup.sharedAt(shared));
    }

    /** The simulated secure world, with wpss's carveout written at its own addresses. */
    private SimSecureMonitor simWithWpss(PhysAddr shared) throws IOException {
        return SimSecureMonitor.open(new SecureWorldSetup(shared, List.of(new SecureWorldSetup.Peripheral(WPSS_PAS,
                new CarveoutSpec.File(wpssCarveout()), new Carveouts.Request(new Carveouts.Base.Given(PhysAddr.of(WPSS_PHYS)),
                WPSS_SIZE)))));
    }

    /** wpss past init_image, ready for auth_and_reset; returns its carveout file. */
    private Path initializedWpss(SimSecureMonitor sim) throws Exception {
        new PasClient(sim, ScmConvention.SMC64).initImage(WPSS_PAS, metadata(sim, wpss.metadata()));
        return dir.resolve("wpss-carveout.bin");
    }

    /** Where segment {@code p}'s first byte is in the wpss carveout file. */
    private static long carveoutOffset(RawElf.Phdr p) {
        return wpss.placedAt(p, WPSS_PHYS) - WPSS_PHYS;
    }

    private static ScmException assertRefused(int status, String errno, Executable call) {
        ScmException e = assertThrows(ScmException.class, call);
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(errno, e.errnoName());
        return e;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(~b);
        }
    }

    @ParameterizedTest
    @EnumSource(ScmConvention.class)
    void authAndReset_startsWpssLoadedAtItsOwnAddresses(ScmConvention convention) throws Exception {
        try (SimSecureMonitor sim = simWithWpss(SHARED_LOW)) {
            MetadataBuffer metadata = metadata(sim, wpss.metadata());
            PasClient pas = new PasClient(sim, convention);
            assertTrue(pas.isSupported(WPSS_PAS));
            pas.initImage(WPSS_PAS, metadata);
            assertEquals(PeripheralState.INITIALIZED, sim.state(WPSS_PAS));
            pas.authAndReset(WPSS_PAS);
            assertEquals(PeripheralState.RUNNING, sim.state(WPSS_PAS));
            pas.shutdown(WPSS_PAS);
            assertEquals(PeripheralState.IDLE, sim.state(WPSS_PAS));
        }
    }

    /** Every image of the firmware README: MBN v3, v5 and v6, split and single-file, fixed and relocatable. */
    @ParameterizedTest
    @CsvSource({
            "ath11k/IPQ8074/hw2.0/m3_fw.mdt, 1",
            "ath11k/IPQ8074/hw2.0/q6_fw.mdt, 2",
            "ath11k/WCN6750/hw1.0/wpss.mdt, 6",
            "qcom/venus-5.2/venus.mbn, 9",
            "qcom/sm8250/a650_zap.mbn, 13",
            "qcom/apq8096/mba.mbn, 4"})
    void authAndReset_startsEveryRealImage(String image, long pasId, @TempDir Path copies) throws Exception {
        RealFirmware fw = RealFirmware.copy(image, copies);
        long base = fw.relocatable() ? VENUS_BASE.value() : fw.minPaddr();
        Path carveout = fw.writeCarveout(dir.resolve("carveout.bin"), base, fw.loadSize(), base);
        try (SimSecureMonitor sim = simWith(pasId, carveout, PhysAddr.of(base), fw.loadSize())) {
            PasClient pas = new PasClient(sim, ScmConvention.SMC64);
            pas.initImage(pasId, metadata(sim, fw.metadata()));
            if (fw.relocatable()) {
                pas.memSetup(pasId, PhysAddr.of(base), fw.loadSize());
            }
            pas.authAndReset(pasId);
            assertEquals(PeripheralState.RUNNING, sim.state(pasId));
        }
    }

    /** No real image is ELF64 or MBN v7; the project's image assembler builds them. */
    @ParameterizedTest
    @CsvSource({"ELF32, 3", "ELF32, 5", "ELF32, 7", "ELF64, 3", "ELF64, 6", "ELF64, 7"})
    void authAndReset_readsEveryElfClassAndMbnVersion(ElfClass elfClass, int version) throws Exception {
        long base = elfClass == ElfClass.ELF64 ? 0x1_2000_0000L : 0x2000_0000L;
        Random random = new Random(version);
        byte[] code = new byte[10_000];
        byte[] data = new byte[3_000];
        random.nextBytes(code);
        random.nextBytes(data);
        Assembled image = ImageAssembler.builder().elfClass(elfClass).machine(ElfWriter.EM_AARCH64)
                .mbnVersion(version).hashAddress(base + 0x10_0000)
                .segments(List.of(new LoadSegment(base, base, 5, code, 0x3000),
                        new LoadSegment(base + 0x3000, base + 0x3000, 6, data, 0x1000),
                        LoadSegment.bss(base + 0x4000, base + 0x4000, 6, 0x4000)))
                .build().assemble();
        Path carveout = dir.resolve("carveout.bin");
        try (RandomAccessFile out = new RandomAccessFile(carveout.toFile(), "rw")) {
            out.setLength(0x8000);
            out.write(code);
            out.seek(0x3000);
            out.write(data);
        }
        try (SimSecureMonitor sim = simWith(1, carveout, PhysAddr.of(base), 0x8000)) {
            PasClient pas = new PasClient(sim, ScmConvention.SMC64);
            pas.initImage(1, metadata(sim, image.mdt()));
            flipByte(carveout, 0x3000 + 2999);
            assertRefused(-1, "EIO", () -> pas.authAndReset(1));
            flipByte(carveout, 0x3000 + 2999);
            pas.initImage(1, metadata(sim, image.mdt()));
            pas.authAndReset(1);
            assertEquals(PeripheralState.RUNNING, sim.state(1));
        }
    }

    @Test
    void authAndReset_startsVenusRelocatedToANewBase() throws Exception {
        long size = venus.loadSize();
        // a sparse stand-in for /dev/mem, where the carveout sits at its physical address: the
        // secure world must honour the offset in the file too
        Path mem = venus.writeCarveout(dir.resolve("mem.img"), 0, VENUS_BASE.value() + size, VENUS_BASE.value());
        try (SimSecureMonitor sim = simWith(VENUS_PAS, new CarveoutSpec.DevMem.Named(mem), VENUS_BASE, size)) {
            PasClient pas = new PasClient(sim, ScmConvention.SMC64);
            pas.initImage(VENUS_PAS, metadata(sim, venus.metadata()));
            pas.memSetup(VENUS_PAS, VENUS_BASE, size);
            assertEquals(PeripheralState.MEMORY_SET_UP, sim.state(VENUS_PAS));
            pas.authAndReset(VENUS_PAS);
            assertEquals(PeripheralState.RUNNING, sim.state(VENUS_PAS));
        }
    }

    @Test
    void authAndReset_refusesARelocatedImageWhenMemSetupNamesAnotherBase() throws Exception {
        long size = venus.loadSize();
        Path carveout = venus.writeCarveout(dir.resolve("venus.bin"), VENUS_BASE.value(), size + 0x1000,
                VENUS_BASE.value());
        try (SimSecureMonitor sim = simWith(VENUS_PAS, carveout, VENUS_BASE, size + 0x1000)) {
            PasClient pas = new PasClient(sim, ScmConvention.SMC64);
            pas.initImage(VENUS_PAS, metadata(sim, venus.metadata()));
            pas.memSetup(VENUS_PAS, VENUS_BASE.plus(0x1000), size);
            assertRefused(-1, "EIO", () -> pas.authAndReset(VENUS_PAS));
            assertEquals(PeripheralState.IDLE, sim.state(VENUS_PAS));
        }
    }

    @Test
    void authAndReset_refusesAByteFlippedInTheCarveoutAfterTheCopy() throws Exception {
        try (SimSecureMonitor sim = simWithWpss(SHARED_LOW)) {
            Path carveout = initializedWpss(sim);
            RawElf.Phdr biggest = wpss.loadable().stream()
                    .max((a, b) -> Long.compare(a.filesz(), b.filesz())).orElseThrow();
            flipByte(carveout, carveoutOffset(biggest) + biggest.filesz() / 2);
            ScmException e = assertRefused(-1, "EIO", () -> new PasClient(sim, ScmConvention.SMC64).authAndReset(WPSS_PAS));
            assertTrue(e.getMessage().contains("auth_and_reset") && e.getMessage().contains("pas id 6"), e.getMessage());
            assertEquals(PeripheralState.IDLE, sim.state(WPSS_PAS), "the peripheral stays down");
        }
    }

    @Test
    void authAndReset_refusesNonZeroBytesBetweenFileszAndMemsz() throws Exception {
        try (SimSecureMonitor sim = simWithWpss(SHARED_LOW)) {
            Path carveout = initializedWpss(sim);
            RawElf.Phdr bss = wpss.loadable().stream().filter(p -> p.filesz() == 0).findFirst().orElseThrow();
            flipByte(carveout, carveoutOffset(bss) + bss.memsz() - 1);
            assertRefused(-1, "EIO", () -> new PasClient(sim, ScmConvention.SMC64).authAndReset(WPSS_PAS));
        }
    }

    @Test
    void pas_refusesCallsOutOfOrderAndChangesNothing() throws Exception {
        try (SimSecureMonitor sim = simWithWpss(SHARED_LOW)) {
            MetadataBuffer metadata = metadata(sim, wpss.metadata());
            PasClient pas = new PasClient(sim, ScmConvention.SMC64);
            assertRefused(-2, "EINVAL", () -> pas.authAndReset(WPSS_PAS));
            assertRefused(-2, "EINVAL", () -> pas.memSetup(WPSS_PAS, PhysAddr.of(WPSS_PHYS), WPSS_SIZE));
            assertEquals(PeripheralState.IDLE, sim.state(WPSS_PAS));
            pas.initImage(WPSS_PAS, metadata);
            assertRefused(-2, "EINVAL", () -> pas.initImage(WPSS_PAS, metadata));
            assertEquals(PeripheralState.INITIALIZED, sim.state(WPSS_PAS));
            pas.authAndReset(WPSS_PAS);
            assertRefused(-2, "EINVAL", () -> pas.authAndReset(WPSS_PAS));
            assertRefused(-2, "EINVAL", () -> pas.initImage(WPSS_PAS, metadata));
            assertEquals(PeripheralState.RUNNING, sim.state(WPSS_PAS));
            pas.shutdown(WPSS_PAS);
            pas.initImage(WPSS_PAS, metadata);
            pas.authAndReset(WPSS_PAS);
            assertEquals(PeripheralState.RUNNING, sim.state(WPSS_PAS));
        }
    }

    @Test
    void authAndReset_refusesARelocatableImageBeforeMemSetup() throws Exception {
        long size = venus.loadSize();
        Path carveout = venus.writeCarveout(dir.resolve("venus.bin"), VENUS_BASE.value(), size, VENUS_BASE.value());
        try (SimSecureMonitor sim = simWith(VENUS_PAS, carveout, VENUS_BASE, size)) {
            PasClient pas = new PasClient(sim, ScmConvention.LEGACY);
            pas.initImage(VENUS_PAS, metadata(sim, venus.metadata()));
            assertRefused(-2, "EINVAL", () -> pas.authAndReset(VENUS_PAS));
            assertEquals(PeripheralState.INITIALIZED, sim.state(VENUS_PAS));
            assertRefused(-2, "EINVAL", () -> pas.memSetup(VENUS_PAS, VENUS_BASE, size - 0x1000));
            assertRefused(-3, "EINVAL", () -> pas.memSetup(VENUS_PAS, VENUS_BASE.plus(0x1000), size));
            pas.memSetup(VENUS_PAS, VENUS_BASE, size);
            pas.authAndReset(VENUS_PAS);
            assertEquals(PeripheralState.RUNNING, sim.state(VENUS_PAS));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ScmConvention.class, names = {"LEGACY", "SMC32"})
    void initImage_refusesMetadataAbove4GiBBeforeCallingTheSecureWorld(ScmConvention convention) throws Exception {
        try (SimSecureMonitor sim = simWithWpss(SHARED_HIGH)) {
            MetadataBuffer metadata = metadata(sim, wpss.metadata());
            long calls = sim.callCount();
            UsageFailure e = assertThrows(UsageFailure.class,
                    () -> new PasClient(sim, convention).initImage(WPSS_PAS, metadata));
            assertTrue(e.getMessage().contains("32-bit"), e.getMessage());
            assertEquals(calls, sim.callCount(), "no call reached the secure world");
            assertEquals(PeripheralState.IDLE, sim.state(WPSS_PAS));
            // the same buffer over SMC64 is accepted: the refusal was about width alone
            new PasClient(sim, ScmConvention.SMC64).initImage(WPSS_PAS, metadata);
            assertEquals(calls + 1, sim.callCount());
            assertEquals(PeripheralState.INITIALIZED, sim.state(WPSS_PAS));
        }
    }

    @Test
    void memSetup_refusesARegionEndingAbove4GiBOnLegacyBeforeCalling() throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            PasClient pas = new PasClient(sim, ScmConvention.LEGACY);
            pas.initImage(VENUS_PAS, metadata(sim, venus.metadata()));
            long calls = sim.callCount();
            UsageFailure e = assertThrows(UsageFailure.class,
                    () -> pas.memSetup(VENUS_PAS, PhysAddr.of(0xfff0_0000L), venus.loadSize()));
            assertTrue(e.getMessage().contains("32-bit") && e.getMessage().contains("mem_setup"), e.getMessage());
            assertEquals(calls, sim.callCount());
            assertEquals(PeripheralState.INITIALIZED, sim.state(VENUS_PAS));
        }
    }

    @Test
    void initImage_refusesMetadataNotPageAlignedOrOutsideAttachedMemory() throws Exception {
        try (SimSecureMonitor sim = simWithWpss(SHARED_LOW)) {
            MetadataBuffer metadata = metadata(sim, wpss.metadata());
            for (PhysAddr wrong : List.of(metadata.addr().plus(0x10), PhysAddr.of(0x7000_0000L))) {
                ScmResult result = sim.invoke(ScmCall.of(ScmConvention.SMC64, PasCommand.INIT_IMAGE,
                        new Value(WPSS_PAS), new Buffer(wrong, metadata.memory().byteSize(), Access.RW)));
                assertEquals(-3, result.status(), wrong.toString());
            }
            assertEquals(PeripheralState.IDLE, sim.state(WPSS_PAS));
        }
    }

    @Test
    void initImage_refusesMalformedMetadata() throws Exception {
        byte[] good = wpss.metadata();
        int hashAt = (int) wpss.phdrs.getFirst().filesz();
        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        byte[] badVersion = good.clone();
        badVersion[hashAt + 4] = 4;
        byte[] badTableSize = good.clone();
        badTableSize[hashAt + 20] += 4;
        byte[] elf64Claim = good.clone();
        elf64Claim[4] = 2;
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            PasClient pas = new PasClient(sim, ScmConvention.SMC64);
            for (byte[] blob : List.of(badMagic, badVersion, badTableSize, elf64Claim)) {
                assertRefused(-2, "EINVAL", () -> pas.initImage(WPSS_PAS, metadata(sim, blob)));
            }
            assertEquals(PeripheralState.IDLE, sim.state(WPSS_PAS));
        }
    }

    @Test
    void initImage_refusesProgramHeadersThatDoNotMatchDigestZero() throws Exception {
        byte[] moved = wpss.metadata();
        RawElf.Phdr first = wpss.loadable().getFirst();
        int paddrAt = 52 + 32 * first.index() + 12;
        moved[paddrAt + 2] ^= 0x10;
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            assertRefused(-1, "EIO", () -> new PasClient(sim, ScmConvention.SMC64).initImage(WPSS_PAS, metadata(sim, moved)));
        }
    }

    @Test
    void smc_refusesAnUnknownOwnerServiceOrCommand() throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            long oem = ARM_SMCCC_CALL_VAL(ARM_SMCCC_STD_CALL, ARM_SMCCC_SMC_64, 3, SCM_SMC_FNID(2, 7));
            assertEquals(-4, PassimLibrary.smc(new long[]{oem, QCOM_SCM_ARGS(1), 6, 0, 0, 0, 0, 0}).status());
            long unknownService = stdSipCall(ARM_SMCCC_SMC_64, 0x33, 7);
            assertEquals(-4, PassimLibrary.smc(new long[]{unknownService, QCOM_SCM_ARGS(1), 6, 0, 0, 0, 0, 0}).status());
            for (ScmConvention convention : ScmConvention.values()) {
                assertEquals(-4, sim.invoke(new ScmCall(convention, 2, 0x33, List.of(new Value(6)))).status());
                assertEquals(-4, sim.invoke(ScmCall.of(convention, PasCommand.MSS_RESET, new Value(0))).status(),
                        "the simulation has no modem");
            }
        }
    }

    @Test
    void smc_refusesArginfoThatDoesNotMatchTheCall() throws Exception {
        try (SimSecureMonitor sim = simWithWpss(SHARED_LOW)) {
            MetadataBuffer metadata = metadata(sim, wpss.metadata());
            // metadata passed as VAL instead of RW
            assertEquals(-2, sim.invoke(new ScmCall(ScmConvention.SMC64, 2, 1,
                    List.of(new Value(WPSS_PAS), new Value(metadata.addr().value())))).status());
            long initImage = stdSipCall(ARM_SMCCC_SMC_64, QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_INIT_IMAGE);
            long typeBeyondCount = QCOM_SCM_ARGS(2, QCOM_SCM_VAL, QCOM_SCM_RW, QCOM_SCM_RO);
            assertEquals(-2, PassimLibrary.smc(new long[]{initImage, typeBeyondCount, WPSS_PAS,
                    metadata.addr().value(), 0, 0, 0, 0}).status());
            assertEquals(-2, sim.invoke(ScmCall.of(ScmConvention.SMC64, PasCommand.IS_SUPPORTED,
                    new Value(6), new Value(7))).status());
            assertEquals(PeripheralState.IDLE, sim.state(WPSS_PAS));
        }
    }

    @Test
    void smc32_seesOnlyTheLowHalvesOfTheRegisters() throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            long wide = 0x1_0000_0000L | WPSS_PAS;
            long[] smc64 = {stdSipCall(ARM_SMCCC_SMC_64, 2, 7), QCOM_SCM_ARGS(1), wide, 0, 0, 0, 0, 0};
            long[] smc32 = {stdSipCall(ARM_SMCCC_SMC_32, 2, 7), QCOM_SCM_ARGS(1), wide, 0, 0, 0, 0, 0};
            assertEquals(new ScmResult(0, 0, 0, 0), PassimLibrary.smc(smc64), "id 0x100000006 is not supported");
            assertEquals(new ScmResult(0, 1, 0, 0), PassimLibrary.smc(smc32), "truncated to 6, which is");
            assertEquals(2, sim.callCount());
        }
    }

    @ParameterizedTest
    @EnumSource(ScmConvention.class)
    void isCallAvail_answersForTheCallsTheSimulationHas(ScmConvention convention) throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            PasClient pas = new PasClient(sim, convention);
            assertTrue(pas.isSupported(WPSS_PAS));
            assertFalse(pas.isSupported(200));
            long mssReset = convention.isSmccc()
                    ? SCM_SMC_FNID(QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_MSS_RESET) | ARM_SMCCC_OWNER_SIP << ARM_SMCCC_OWNER_SHIFT
                    : SCM_LEGACY_FNID(QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_MSS_RESET);
            assertEquals(0, sim.invoke(ScmCall.of(convention, PasCommand.IS_CALL_AVAIL, new Value(mssReset))).result0());
        }
    }

    /** The answer's five arguments reach the simulation whole: the last two through SMCCC's argument buffer, or the legacy buffer. */
    @ParameterizedTest
    @EnumSource(ScmConvention.class)
    void getRscTable_answersTheEmptyTableHandedIn_asVersion1_inEveryConvention(ScmConvention convention) throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            ResourceTable table = new PasClient(sim, convention).resourceTable(WPSS_PAS);
            assertEquals(new ResourceTable(16, 0), table);
        }
    }

    @Test
    void getRscTable_refusesAnOutputBufferTooSmall_sayingTheSizeItNeeds() throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            MetadataBuffer input = metadata(sim, new byte[16]);
            MetadataBuffer output = metadata(sim, new byte[8]);
            ScmResult answer = sim.call(ScmConvention.SMC64, new PasCall.GetRscTable(WPSS_PAS, input, output));
            // qcom_scm.c: RSCTABLE_BUFFER_NOT_SUFFICIENT in result[1], the size needed in result[2]
            assertEquals(new ScmResult(ScmResult.EINVAL_ARG, 0, 20, 16), answer);
        }
    }

    @ParameterizedTest
    @EnumSource(ScmConvention.class)
    void shmBridge_isMadeWithTheKernelsFlags_andDeletedOnceByItsHandle(ScmConvention convention) throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            PasClient pas = new PasClient(sim, convention);
            long first = pas.shmBridgeCreate(WPSS_PAS, PhysAddr.of(WPSS_PHYS), WPSS_SIZE);
            long second = pas.shmBridgeCreate(WPSS_PAS, PhysAddr.of(WPSS_PHYS), WPSS_SIZE);
            assertTrue(first != second, first + " and " + second);
            pas.shmBridgeDelete(WPSS_PAS, first);
            assertRefused(ScmResult.EINVAL_ARG, "EINVAL", () -> pas.shmBridgeDelete(WPSS_PAS, first));
            pas.shmBridgeDelete(WPSS_PAS, second);
        }
    }

    @Test
    void shmBridge_refusesPermissionsOrVmsOtherThanTheKernels() throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            long base = WPSS_PHYS;
            long[][] wrong = {
                    {base | 0x4, base | 0x6, WPSS_SIZE | 0x200, 3},   // read-only for the non-secure side
                    {base | 0x6, base | 0x6, WPSS_SIZE | 0x400, 3},   // two VMs
                    {base | 0x6, base | 0x6, WPSS_SIZE | 0x200, 0xf}, // another VM than HLOS
                    {base | 0x6, (base + 0x1000) | 0x6, WPSS_SIZE | 0x200, 3}, // a stage 2 in between
            };
            for (long[] args : wrong) {
                ScmCall call = ScmCall.of(ScmConvention.SMC64, PasCommand.SHM_BRIDGE_CREATE, new ScmArg.Value(args[0]),
                        new ScmArg.Value(args[1]), new ScmArg.Value(args[2]), new ScmArg.Value(args[3]));
                assertEquals(ScmResult.EINVAL_ARG, sim.invoke(call).status(), java.util.Arrays.toString(args));
            }
        }
    }

    @Test
    void legacy_refusesAMalformedCommandBuffer() throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW); Arena arena = Arena.ofConfined()) {
            MemorySegment command = LegacyCommand.encode(
                    ScmCall.of(ScmConvention.LEGACY, PasCommand.IS_SUPPORTED, new Value(6)), arena);
            ByteBuffer b = command.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(8, b.getInt(0));   // resp_hdr_offset at the very end: no room for a response
            assertEquals(-2, PassimLibrary.legacy(command));
            b.putInt(8, 16 + 4);
            b.putInt(12, (int) SCM_LEGACY_FNID(0x33, 1));
            assertEquals(-4, PassimLibrary.legacy(command));
            assertEquals(2, sim.callCount());
        }
    }

    @Test
    void open_refusesWithoutTheLibraryAndSaysHowToBuildIt(@TempDir Path empty) {
        String saved = System.getProperty(SimSecureMonitor.NATIVE_DIR_PROPERTY);
        try {
            System.setProperty(SimSecureMonitor.NATIVE_DIR_PROPERTY, empty.toString());
            IOException e = assertThrows(IOException.class, () -> sim(SHARED_LOW));
            assertTrue(e.getMessage().startsWith("simulated secure world not built: run make"), e.getMessage());
        } finally {
            System.setProperty(SimSecureMonitor.NATIVE_DIR_PROPERTY, saved);
        }
    }

    @Test
    void open_refusesASecondMonitorInTheSameProcess() throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            assertThrows(IOException.class, () -> sim(SHARED_HIGH));
            assertEquals(PeripheralState.IDLE, sim.state(0));
        }
    }

    /** init_image is where the simulation maps the peripheral's carveout; a failure names the file and the errno. */
    private IOException initImageFailsToMap(SimSecureMonitor sim) throws Exception {
        MetadataBuffer metadata = metadata(sim, wpss.metadata());
        PasClient pas = new PasClient(sim, ScmConvention.SMC64);
        IOException e = assertThrows(IOException.class, () -> pas.initImage(WPSS_PAS, metadata));
        assertEquals(0, sim.callCount(), "the call was not made");
        return e;
    }

    @Test
    void initImage_namesTheCarveoutFileAndTheErrno_whenTheSimulationCannotMapIt() throws Exception {
        PhysAddr at = PhysAddr.of(0x1000_0000L);
        Path missing = dir.resolve("missing.bin");
        try (SimSecureMonitor sim = simWith(WPSS_PAS, missing, at, 4096)) {
            assertEquals("sim_attach(" + missing + " at phys 0x10000000 +0x1000): open(" + missing
                    + ") failed: ENOENT (No such file or directory)", initImageFailsToMap(sim).getMessage());
        }
        // a character device is mapped at its offset; /dev/null refuses any mapping
        try (SimSecureMonitor sim = simWith(WPSS_PAS, new CarveoutSpec.DevMem.Named(Path.of("/dev/null")), at, 4096)) {
            assertEquals("sim_attach(/dev/null at phys 0x10000000 +0x1000): mmap(/dev/null) failed: ENODEV (No such device)",
                    initImageFailsToMap(sim).getMessage());
        }
        Path small = Files.write(dir.resolve("small.bin"), new byte[4096]);
        try (SimSecureMonitor sim = simWith(WPSS_PAS, small, at, 8192)) {
            String message = initImageFailsToMap(sim).getMessage();
            assertTrue(message.contains("EINVAL"), "a range past the end of its file: " + message);
        }
    }

    @Test
    void initImage_refusesToMapACarveoutOverlappingSharedMemory() throws Exception {
        Path small = Files.write(dir.resolve("small.bin"), new byte[4096]);
        try (SimSecureMonitor sim = simWith(WPSS_PAS, small, SHARED_LOW, 4096)) {
            String message = initImageFailsToMap(sim).getMessage();
            assertTrue(message.contains("EEXIST"), "overlapping ranges: " + message);
        }
    }

    @Test
    void open_refusesACarveoutNoOtherReaderCanMap_beforeAnything() {
        IOException e = assertThrows(IOException.class,
                () -> simWith(WPSS_PAS, new CarveoutSpec.Memfd(), PhysAddr.of(WPSS_PHYS), WPSS_SIZE));
        assertEquals("the simulated secure world cannot read the memory of pas id 6: carveout memfd is anonymous memory "
                + "of this process alone: no other reader can map it", e.getMessage());
    }

    @Test
    void initImage_mapsACharacterDeviceAtThePhysicalAddressWithNoSizeToCheck() throws Exception {
        // /dev/zero stands in for /dev/mem: a character device of no size that maps at any offset
        Path device = Path.of("/dev/zero");
        try (SimSecureMonitor sim = simWith(WPSS_PAS, new CarveoutSpec.DevMem.Named(device), PhysAddr.of(WPSS_PHYS),
                WPSS_SIZE)) {
            PasClient pas = new PasClient(sim, ScmConvention.SMC64);
            pas.initImage(WPSS_PAS, metadata(sim, wpss.metadata()));
            // the secure world hashes what its own mapping of the device holds (zeros here), not what was meant
            ScmException e = assertRefused(-1, "EIO", () -> pas.authAndReset(WPSS_PAS));
            assertTrue(e.getMessage().contains("pas id 6"), e.getMessage());
        }
    }

    @Test
    void state_refusesAnIdTheSecureWorldDoesNotHave() throws Exception {
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.state(64));
            assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
        }
    }

    @Test
    void close_forgetsEveryPeripheralAndAllAttachedMemory() throws Exception {
        try (SimSecureMonitor sim = simWithWpss(SHARED_LOW)) {
            MetadataBuffer metadata = metadata(sim, wpss.metadata());
            PasClient pas = new PasClient(sim, ScmConvention.SMC64);
            pas.initImage(WPSS_PAS, metadata);
            pas.authAndReset(WPSS_PAS);
        }
        try (SimSecureMonitor sim = sim(SHARED_LOW)) {
            assertEquals(PeripheralState.IDLE, sim.state(WPSS_PAS));
            assertEquals(0, sim.callCount());
            // the metadata buffer's old address is no longer attached
            MetadataBuffer fresh = metadata(sim, wpss.metadata());
            assertEquals(SHARED_LOW, fresh.addr());
        }
    }
}
