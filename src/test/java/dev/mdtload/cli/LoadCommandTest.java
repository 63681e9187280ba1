package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdtload.scm.PasCommand;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SimSecureMonitor;
import dev.mdtload.scm.SimSecureMonitor.PeripheralState;
import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.FileBlocks;
import dev.mdtload.testing.MappingAtBridge;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import dev.mdtload.testing.SimProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mdtload load} in-process, as scripts call it: real firmware from ../shared/firmware into
 * file-backed carveouts through the simulated secure world, each result checked byte for byte
 * against the kernel's placement rules as the test's own reader works them out, and each refusal
 * checked for its exit code, its message, an untouched carveout and a secure world never called.
 */
@EnabledOnOs(OS.LINUX)
class LoadCommandTest {
    /** Any id the simulated PAS service has; placement does not depend on it. */
    private static final int PAS_ID = 6;
    private static final long NEW_BASE = 0x8680_0000L;
    private static final long ABOVE_4_GIB = 0x1_5000_0000L;

    @TempDir
    Path dir;

    /** {@code mdtload load ARGS}, with the simulated secure world the command opens wrapped by {@code probe}. */
    private static CliRun load(UnaryOperator<SecureMonitor> probe, Object... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == LoadCommand.class ? type.cast(new LoadCommand(probe))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        List<Object> line = new ArrayList<>(List.of("load"));
        line.addAll(List.of(args));
        return CliRun.of(factory, line.toArray());
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    private static byte[] sha256(Path file) throws IOException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A carveout file left over from earlier use: random bytes, so any write would show. */
    private Path usedCarveout(long size) throws IOException {
        byte[] bytes = new byte[(int) size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve("used-carveout.bin"), bytes);
    }

    private static void assertOneLineError(CliRun run, int exit, String mentions) {
        assertEquals(exit, run.exit(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("mdtload: "), run::toString);
        assertTrue(run.err().contains(mentions), () -> "expected '" + mentions + "' in " + run);
        run.assertNoStackTrace();
    }

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void load_putsEveryRealImageIntoItsCarveout_whereTheKernelsRulesPlaceIt(RealImage image) throws IOException {
        Path carveout = dir.resolve("carveout.bin");
        SimProbe probe = SimProbe.watching(PAS_ID);
        // the carveout the README gives: at the lowest p_paddr, the kernel's load size
        CliRun run = load(probe, image.path(), "--carveout", "file:" + carveout, "--phys", hex(image.minAddress),
                "--size", image.loadSize, "--pas-id", PAS_ID, "--scm", "sim");

        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.err());
        assertEquals(image.loadSize, Files.size(carveout));
        ExpectedCarveout.of(image.path()).assertLoadedInto(carveout, image.minAddress);
        assertEquals(PeripheralState.RUNNING, probe.state(), "the simulated secure world authenticated and started it");
        List<PasCommand> expected = image.relocatable
                ? List.of(PasCommand.INIT_IMAGE, PasCommand.MEM_SETUP, PasCommand.AUTH_AND_RESET)
                : List.of(PasCommand.INIT_IMAGE, PasCommand.AUTH_AND_RESET);
        assertEquals(expected, probe.commands());
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"VENUS", "A650_ZAP"})
    void load_placesARelocatableImageAtANewBase_andLeavesTheRestOfALargerCarveoutZero(RealImage image) throws IOException {
        assertTrue(image.relocatable);
        Path carveout = dir.resolve("carveout.bin");
        long size = image.loadSize + 0x10000;
        SimProbe probe = SimProbe.watching(PAS_ID);
        CliRun run = load(probe, image.path(), "--carveout", "file:" + carveout, "--phys", hex(NEW_BASE),
                "--size", size, "--pas-id", PAS_ID, "--json");

        assertEquals(0, run.exit(), run::toString);
        ExpectedCarveout expected = ExpectedCarveout.of(image.path());
        expected.assertLoadedInto(carveout, NEW_BASE);
        assertEquals(PeripheralState.RUNNING, probe.state());

        JsonNode result = CliRun.result(run.out());
        assertEquals(NEW_BASE, result.get("base").asLong());
        List<Long> reported = new ArrayList<>();
        result.get("placements").forEach(p -> reported.add(p.get("address").asLong()));
        assertEquals(expected.loadable().stream().map(p -> NEW_BASE + expected.offset(p, NEW_BASE)).toList(), reported);
    }

    @Test
    void load_intoAUsedCarveout_zeroFillsEachSegmentToItsMemsz_andLeavesEveryOtherByteAsItWas() throws IOException {
        // venus's segment 3 has 33640 file bytes and a p_memsz of 4145152 (firmware README: load size > span)
        RealImage venus = RealImage.VENUS;
        Path carveout = usedCarveout(venus.loadSize + 0x10000);
        byte[] before = Files.readAllBytes(carveout);

        CliRun run = load(SimProbe.watching(PAS_ID), venus.path(), "--carveout", "file:" + carveout,
                "--phys", hex(NEW_BASE), "--size", before.length, "--pas-id", PAS_ID);

        assertEquals(0, run.exit(), run::toString);
        ExpectedCarveout.of(venus.path()).assertLoadedInto(carveout, NEW_BASE, before);
    }

    @Test
    void load_intoANewCarveoutFile_leavesTheZeroFillAHole_withTheSameBytes() throws Exception {
        // venus's segment 3 has 33640 file bytes and a p_memsz of 4145152: 4 of its 5 MiB are zero fill
        RealImage venus = RealImage.VENUS;
        Path carveout = dir.resolve("carveout.bin");
        ExpectedCarveout expected = ExpectedCarveout.of(venus.path());
        long pages = expected.loadable().stream().mapToLong(p -> (p.filesz() + 2 * 4095) / 4096).sum();

        CliRun run = load(SimProbe.watching(PAS_ID), venus.path(), "--carveout", "file:" + carveout,
                "--phys", hex(venus.minAddress), "--size", venus.loadSize, "--pas-id", PAS_ID);

        assertEquals(0, run.exit(), run::toString);
        expected.assertLoadedInto(carveout, venus.minAddress);
        long allocated = FileBlocks.allocatedBytes(carveout);
        // every page holding file bytes (one more where they straddle a page edge), and no more
        assertTrue(allocated <= pages * 4096, allocated + " bytes allocated, pages of file bytes: " + pages);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void load_refusesAByteFlippedInAPart_beforeTouchingTheCarveout(boolean carveoutExists) throws IOException {
        Path image = RealImage.WPSS.copyTo(dir.resolve("firmware"));
        Path part = RealImage.WPSS.part(3);
        byte[] bytes = Files.readAllBytes(part);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(image.resolveSibling(part.getFileName()), bytes);
        Path carveout = carveoutExists ? usedCarveout(RealImage.WPSS.loadSize) : dir.resolve("carveout.bin");
        byte[] before = carveoutExists ? sha256(carveout) : null;
        SimProbe probe = SimProbe.watching(PAS_ID);

        CliRun run = load(probe, image, "--carveout", "file:" + carveout, "--phys", hex(RealImage.WPSS.minAddress),
                "--size", RealImage.WPSS.loadSize, "--pas-id", PAS_ID, "--scm", "sim");

        assertOneLineError(run, 1, "mdtload: " + image + ": segment 3: ");
        assertTrue(run.err().strip().endsWith("[digest-mismatch]"), run::toString);
        if (carveoutExists) {
            assertArrayEquals(before, sha256(carveout), "the carveout is byte-identical");
        } else {
            assertFalse(Files.exists(carveout), "no carveout file was created");
        }
        assertFalse(probe.opened(), "the secure world was never asked");
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"M3_FW", "VENUS"})
    void load_whenACarveoutByteChangesBetweenCopyAndAuth_exits4_withTheCarveoutWiped(RealImage image) throws IOException {
        ExpectedCarveout expected = ExpectedCarveout.of(image.path());
        RawElf.Phdr first = expected.loadable().stream().filter(p -> p.filesz() > 0).findFirst().orElseThrow();
        long victim = expected.offset(first, image.minAddress) + first.filesz() / 2;
        Path carveout = dir.resolve("carveout.bin");
        SimProbe probe = SimProbe.flippingBeforeAuth(PAS_ID, carveout, victim);

        CliRun run = load(probe, image.path(), "--carveout", "file:" + carveout, "--phys", hex(image.minAddress),
                "--size", image.loadSize, "--pas-id", PAS_ID);

        assertOneLineError(run, 4, "auth_and_reset");
        assertTrue(run.err().contains("EIO"), run::toString);
        ExpectedCarveout.assertAllZero(carveout);
        assertEquals(PasCommand.SHUTDOWN, probe.commands().getLast(), "the peripheral is shut down after the failure");
        assertEquals(PeripheralState.IDLE, probe.state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--iommu-map=wlan:0x1000000=0x4b000000+0x50000", "--iommu-map=m3:0x1000000=0x4b000000+0x4000"})
    void load_refusesADmaAddressWithoutATranslation_writingNothing(String map) throws IOException {
        RealImage m3 = RealImage.M3_FW;
        Path carveout = dir.resolve("carveout.bin");
        SimProbe probe = SimProbe.watching(PAS_ID);
        List<Object> args = new ArrayList<>(List.of(m3.path(), "--carveout", "file:" + carveout,
                "--dma", "m3:0x1000000", "--size", m3.loadSize, "--pas-id", PAS_ID));
        if (!map.isEmpty()) {
            args.add(map);
        }

        CliRun run = load(probe, args.toArray());

        assertOneLineError(run, 2, "DMA");
        assertFalse(Files.exists(carveout));
        assertEquals(0, probe.calls());
    }

    @Test
    void load_translatesADmaAddressThroughTheDeclaredMap_andLoadsAtThePhysicalAddress() throws IOException {
        // m3_fw is fixed at 0x4b000000: it only fits if the translation lands exactly there
        RealImage m3 = RealImage.M3_FW;
        Path carveout = dir.resolve("carveout.bin");
        SimProbe probe = SimProbe.watching(PAS_ID);

        CliRun run = load(probe, m3.path(), "--carveout", "file:" + carveout, "--dma", "m3:0x1000000",
                "--iommu-map", "m3:0x1000000=0x4b000000+0x50000", "--size", m3.loadSize, "--pas-id", PAS_ID, "--json");

        assertEquals(0, run.exit(), run::toString);
        assertEquals(0x4b00_0000L, CliRun.result(run.out()).get("base").asLong());
        ExpectedCarveout.of(m3.path()).assertLoadedInto(carveout, 0x4b00_0000L);
        assertEquals(PeripheralState.RUNNING, probe.state());
    }

    /** {@code load --el2} of wpss at its own address into {@code carveout}, with {@code window} declared. */
    private static CliRun loadWpssAtEl2(UnaryOperator<SecureMonitor> probe, Path carveout, String window) {
        RealImage wpss = RealImage.WPSS;
        return load(probe, wpss.path(), "--carveout", "file:" + carveout, "--phys", hex(wpss.minAddress),
                "--size", wpss.loadSize, "--pas-id", PAS_ID, "--el2", "--iommu-map", window);
    }

    @Test
    void load_atEl2_runsTheEl2Steps_aroundAuth_andTheProcessorRuns() throws IOException {
        RealImage wpss = RealImage.WPSS;
        Path carveout = dir.resolve("carveout.bin");
        SimProbe probe = SimProbe.watching(PAS_ID);

        CliRun run = loadWpssAtEl2(probe, carveout, "wpss:identity=0x9ae00000+0x1900000");

        assertEquals(0, run.exit(), run::toString);
        List<String> steps = run.outLines().stream().map(String::strip).map(l -> l.split(" ")[0]).toList();
        assertEquals(List.of("rsc_table", "init_image", "copy", "unmap", "iommu_map", "shm_bridge_create",
                "auth_and_reset", "shm_bridge_delete"), steps.subList(3, 11), run::toString);
        assertTrue(run.out().contains("DMA 0x9ae00000 (device wpss) = phys 0x9ae00000 + 0x1900000"), run::toString);
        assertEquals(List.of(PasCommand.GET_RSC_TABLE, PasCommand.INIT_IMAGE, PasCommand.SHM_BRIDGE_CREATE,
                PasCommand.AUTH_AND_RESET, PasCommand.SHM_BRIDGE_DELETE), probe.commands());
        assertEquals(PeripheralState.RUNNING, probe.state());
        ExpectedCarveout.of(wpss.path()).assertLoadedInto(carveout, wpss.minAddress);
    }

    @Test
    void load_atEl2_whenTheCarveoutIsStillMappedAtAuth_isRefusedWithExit4_namingTheCheck() throws IOException {
        Path carveout = dir.resolve("carveout.bin");
        List<MappingAtBridge> opened = new ArrayList<>();

        CliRun run = loadWpssAtEl2(monitor -> {
            MappingAtBridge mapping = new MappingAtBridge((SimSecureMonitor) monitor, carveout);
            opened.add(mapping);
            return mapping;
        }, carveout, "wpss:identity=0x9ae00000+0x1900000");

        assertOneLineError(run, 4, "secure world refused auth_and_reset for pas id 6: status -1 (EIO): carveout-mapped: "
                + "the loader still maps 0x9ae00000..0x9c700000");
        assertEquals(PasCommand.SHM_BRIDGE_DELETE, opened.getFirst().commands().get(4), "the bridge is deleted all the same");
        ExpectedCarveout.assertAllZero(carveout);
    }

    @Test
    void load_atEl2_withoutAnIdentityWindowOverTheCarveout_isAUsageError_creatingNothing() {
        Path carveout = dir.resolve("carveout.bin");
        SimProbe probe = SimProbe.watching(PAS_ID);

        CliRun run = loadWpssAtEl2(probe, carveout, "wpss:0x10000000=0x9ae00000+0x1900000");

        assertOneLineError(run, 2, "--iommu-map DEVICE:identity=0x9ae00000+0x1900000");
        assertFalse(Files.exists(carveout));
        assertEquals(0, probe.calls());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wpss:identity=0x9ae00000", "wpss:identity=0x9ae00000+0", "wpss:identity=0x9zz00000+0x1000",
            ":identity=0x9ae00000+0x1000", "wpss:identity=0x9ae00000+0x7fffffffffffffff"})
    void load_refusesAMalformedIdentityWindow_asAUsageErrorNamingTheOption(String window) {
        Path carveout = dir.resolve("carveout.bin");

        CliRun run = loadWpssAtEl2(SimProbe.watching(PAS_ID), carveout, window);

        assertEquals(2, run.exit(), run::toString);
        // picocli's own line for a value it could not convert, with its hint to --help after it
        assertTrue(run.errLines().getFirst().startsWith("mdtload: Invalid value for option '--iommu-map'"), run::toString);
        run.assertNoStackTrace();
        assertFalse(Files.exists(carveout));
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "smc32"})
    void load_refusesAnAddressAbove4GiB_onA32BitConvention_writingNothingAndCallingNothing(String convention)
            throws IOException {
        RealImage venus = RealImage.VENUS;
        Path absent = dir.resolve("carveout.bin");
        Path used = usedCarveout(venus.loadSize);
        byte[] before = sha256(used);
        for (Path carveout : List.of(absent, used)) {
            SimProbe probe = SimProbe.watching(PAS_ID);
            CliRun run = load(probe, venus.path(), "--carveout", "file:" + carveout, "--phys", hex(ABOVE_4_GIB),
                    "--size", venus.loadSize, "--pas-id", PAS_ID, "--scm-convention", convention);

            assertOneLineError(run, 2, "32-bit");
            assertEquals(0, probe.calls(), "no call reached the secure world");
        }
        assertFalse(Files.exists(absent));
        assertArrayEquals(before, sha256(used));
    }

    @Test
    void load_refusesADmaAddressTranslatedAbove4GiB_onTheLegacyConvention() {
        // the 2017 venus bug: a DMA address, then a physical one above 4 GiB cut to 32 bits
        RealImage venus = RealImage.VENUS;
        Path carveout = dir.resolve("carveout.bin");
        SimProbe probe = SimProbe.watching(PAS_ID);

        CliRun run = load(probe, venus.path(), "--carveout", "file:" + carveout, "--dma", "venus:0x10000000",
                "--iommu-map", "venus:0x10000000=" + hex(ABOVE_4_GIB) + "+0x500000", "--size", venus.loadSize,
                "--pas-id", PAS_ID, "--scm-convention", "legacy");

        assertOneLineError(run, 2, "32-bit");
        assertFalse(Files.exists(carveout));
        assertEquals(0, probe.calls());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void load_refusesADmaHeapCarveout_sayingItHasNoPhysicalAddress(boolean withPhys) throws IOException {
        Path heap = Files.createDirectories(dir.resolve("root/dev/dma_heap")).resolve("system");
        Files.createFile(heap);
        SimProbe probe = SimProbe.watching(PAS_ID);
        List<Object> args = new ArrayList<>(List.of(RealImage.VENUS.path(), "--carveout", "dma-heap:system",
                "--root", dir.resolve("root"), "--size", RealImage.VENUS.loadSize, "--pas-id", PAS_ID));
        if (withPhys) {
            args.addAll(List.of("--phys", hex(NEW_BASE)));
        }

        CliRun run = load(probe, args.toArray());

        assertOneLineError(run, 2, "no physical address");
        assertTrue(run.err().contains("dma-buf"), run::toString);
        assertEquals(0, Files.size(heap), "the fake heap node is untouched");
        assertFalse(probe.opened());
    }

    @Test
    void load_refusesAMetadataBufferInsideTheCarveout_beforeCreatingItOrCallingAnything() {
        // the segments would overwrite the metadata the secure world has not finished reading
        RealImage venus = RealImage.VENUS;
        Path carveout = dir.resolve("carveout.bin");
        SimProbe probe = SimProbe.watching(PAS_ID);

        CliRun run = load(probe, venus.path(), "--carveout", "file:" + carveout, "--phys", hex(NEW_BASE),
                "--size", venus.loadSize, "--pas-id", PAS_ID, "--metadata-phys", hex(NEW_BASE + 0x1000));

        assertOneLineError(run, 2, "overlaps the carveout");
        assertFalse(Files.exists(carveout));
        assertEquals(0, probe.calls());
    }

    @Test
    void load_ofAMemfdCarveout_withTheSimulatedSecureWorld_exits3_beforeTheSecureWorldOpens() {
        RealImage venus = RealImage.VENUS;
        SimProbe probe = SimProbe.watching(PAS_ID);

        CliRun run = load(probe, venus.path(), "--carveout", "memfd", "--phys", hex(NEW_BASE),
                "--size", venus.loadSize, "--pas-id", PAS_ID);

        assertOneLineError(run, 3, "the simulated secure world cannot read the memory of pas id 6: carveout memfd "
                + "is anonymous memory of this process alone");
        assertFalse(probe.opened(), "the secure world was never opened");
    }

    @Test
    void load_ofAMemfdCarveout_isRecorded() {
        RealImage venus = RealImage.VENUS;

        CliRun run = load(UnaryOperator.identity(), venus.path(), "--carveout", "memfd", "--phys", hex(NEW_BASE),
                "--size", venus.loadSize, "--pas-id", PAS_ID, "--scm", "record");

        assertEquals(0, run.exit(), run::toString);
        assertEquals(List.of("init_image", "mem_setup", "auth_and_reset"),
                run.out().lines().map(l -> l.replaceFirst(".*\"call\":\"([a-z_]+)\".*", "$1")).toList());
    }

    @Test
    void load_refusesAFileCarveoutWithoutAnAddress_beforeCreatingTheFile() {
        Path carveout = dir.resolve("carveout.bin");
        CliRun run = load(SimProbe.watching(PAS_ID), RealImage.VENUS.path(), "--carveout", "file:" + carveout,
                "--size", RealImage.VENUS.loadSize, "--pas-id", PAS_ID);

        assertOneLineError(run, 2, "--phys");
        assertFalse(Files.exists(carveout));
    }

    /** SMCCC function ids from kernel-facts.md §5: STD call, SIP owner, service PIL (2), command. */
    private static final List<String> SMC64_PAS_IDS = List.of("0x42000201", "0x42000202", "0x42000205");
    private static final List<String> SMC32_PAS_IDS = List.of("0x2000201", "0x2000202", "0x2000205");

    @ParameterizedTest
    @ValueSource(strings = {"smc64", "smc32"})
    void load_withScmRecord_writesOnlyJsonLinesOfTheKernelsCallsToStdout(String convention) throws IOException {
        RealImage venus = RealImage.VENUS;
        Path carveout = dir.resolve("carveout.bin");
        CliRun run = load(UnaryOperator.identity(), venus.path(), "--carveout", "file:" + carveout,
                "--phys", hex(NEW_BASE), "--size", venus.loadSize, "--pas-id", PAS_ID, "--scm", "record",
                "--scm-convention", convention);

        assertEquals(0, run.exit(), run::toString);
        List<JsonNode> calls = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            calls.add(new ObjectMapper().readTree(line));
        }
        assertEquals(List.of("init_image", "mem_setup", "auth_and_reset"),
                calls.stream().map(c -> c.get("call").asText()).toList());
        assertEquals(convention.equals("smc64") ? SMC64_PAS_IDS : SMC32_PAS_IDS,
                calls.stream().map(c -> c.get("function_id").asText()).toList());
        // mem_setup(pas_id, phys, size): the carveout and the load size, as the kernel passes them
        JsonNode memSetup = calls.get(1).get("registers");
        assertEquals(List.of(hex(PAS_ID), hex(NEW_BASE), hex(venus.loadSize)),
                List.of(memSetup.get(2).asText(), memSetup.get(3).asText(), memSetup.get(4).asText()));
        assertTrue(run.err().contains("pas id " + PAS_ID), "the report goes to stderr: " + run);
        assertTrue(run.err().contains("pas id " + PAS_ID + ": calls recorded, not made: nothing was authenticated"), run::toString);
        assertFalse(run.err().contains("authenticated and started"), run::toString);
    }

    @Test
    void load_withScmRecordToAFile_writesTheSameLinesThere_andTheReportToStdout() throws IOException {
        RealImage m3 = RealImage.M3_FW;
        Path record = dir.resolve("calls.jsonl");
        CliRun run = load(UnaryOperator.identity(), m3.path(), "--carveout", "file:" + dir.resolve("carveout.bin"),
                "--phys", hex(m3.minAddress), "--size", m3.loadSize, "--pas-id", PAS_ID, "--scm", "record",
                "--record", record, "--json");

        assertEquals(0, run.exit(), run::toString);
        JsonNode report = CliRun.result(run.out());
        assertEquals(m3.minAddress, report.get("base").asLong());
        assertEquals("recorded", report.get("state").asText(), "only calls were recorded: nothing runs");
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(record)) {
            ids.add(new ObjectMapper().readTree(line).get("function_id").asText());
        }
        assertEquals(List.of(SMC64_PAS_IDS.get(0), SMC64_PAS_IDS.get(2)), ids, "a fixed image has no mem_setup");
    }

    @Test
    void load_withRecordButWithoutScmRecord_isAUsageErrorBeforeAnythingIsWritten() {
        Path record = dir.resolve("calls.jsonl");
        Path carveout = dir.resolve("c.bin");
        CliRun run = load(UnaryOperator.identity(), RealImage.M3_FW.path(), "--carveout", "file:" + carveout,
                "--phys", hex(RealImage.M3_FW.minAddress), "--size", RealImage.M3_FW.loadSize, "--pas-id", PAS_ID,
                "--record", record);

        assertOneLineError(run, 2, "--record " + record + " needs --scm record");
        assertEquals("", run.out());
        assertFalse(Files.exists(record));
        assertFalse(Files.exists(carveout));
    }

    @Test
    void load_withScmSim_reportsTheImageAuthenticatedAndRunning() throws IOException {
        RealImage m3 = RealImage.M3_FW;
        CliRun run = load(SimProbe.watching(PAS_ID), m3.path(), "--carveout", "file:" + dir.resolve("c.bin"),
                "--phys", hex(m3.minAddress), "--size", m3.loadSize, "--pas-id", PAS_ID, "--json");

        assertEquals(0, run.exit(), run::toString);
        assertEquals("running", CliRun.result(run.out()).get("state").asText());
    }

    @Test
    void load_withScmRecordToAFile_leavesNoRecordWhenTheLoadIsRefused() {
        Path record = dir.resolve("calls.jsonl");
        CliRun run = load(UnaryOperator.identity(), RealImage.VENUS.path(), "--carveout", "file:" + dir.resolve("c.bin"),
                "--phys", hex(ABOVE_4_GIB), "--size", RealImage.VENUS.loadSize, "--pas-id", PAS_ID,
                "--scm", "record", "--scm-convention", "legacy", "--record", record);

        assertOneLineError(run, 2, "32-bit");
        assertFalse(Files.exists(record));
    }

    /** The DragonBoard 410c wcnss.mbn shape: two bss segments at one address, loaded by the device. */
    private static final Path ZERO_FILL_OVERLAP = Path.of("firmware-samples/warning/zero-fill-overlap/zero-fill-overlap.mbn");

    @Test
    void load_ofAnImageWithAWarning_loadsIt_andReportsTheWarningInJson() throws IOException {
        Path carveout = dir.resolve("carveout.bin");
        CliRun run = load(UnaryOperator.identity(), ZERO_FILL_OVERLAP, "--carveout", "file:" + carveout,
                "--phys", "0x4b000000", "--size", "0x10000", "--pas-id", PAS_ID, "--json");
        assertEquals(ExitCode.OK, run.exit(), run::toString);
        JsonNode report = CliRun.result(run.out());
        assertEquals(1, report.get("warnings").size(), run.out());
        assertEquals("zero-fill-overlap", report.get("warnings").get(0).get("rule").asText());
        assertEquals(5, report.get("warnings").get(0).get("segment").asInt());
    }

    @Test
    void load_strict_refusesTheWarningBeforeCreatingTheCarveout() {
        Path carveout = dir.resolve("carveout.bin");
        CliRun run = load(UnaryOperator.identity(), ZERO_FILL_OVERLAP, "--carveout", "file:" + carveout,
                "--phys", "0x4b000000", "--size", "0x10000", "--pas-id", PAS_ID, "--strict");
        assertEquals(ExitCode.INVALID, run.exit(), run::toString);
        assertTrue(run.err().contains("[zero-fill-overlap]"), run.err());
        assertFalse(Files.exists(carveout));
    }

    /**
     * Each warning sample is an image the device loads, so the simulated secure world must take it
     * too (it once refused a v6 table of SHA-256 digests with EINVAL): into a carveout at its own
     * pages, placed as the tests' reader places it, authenticated and started. (The digest-not-zero
     * sample is ELF64, which the tests' reader does not read.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"file-bytes-overlap/file-bytes-overlap.mbn",
            "hash-algorithm-unusual/hash-algorithm-unusual.mbn", "part-differs/part-differs.mdt",
            "zero-fill-overlap/zero-fill-overlap.mbn"})
    void load_ofEveryWarningSample_isAuthenticatedByTheSimulatedSecureWorld(String sample) throws IOException {
        Path image = Path.of("firmware-samples/warning").resolve(sample);
        Path carveout = dir.resolve("carveout.bin");
        ExpectedCarveout expected = ExpectedCarveout.of(image);
        long base = expected.pageBase();
        SimProbe probe = SimProbe.watching(PAS_ID);
        CliRun run = load(probe, image, "--carveout", "file:" + carveout, "--phys", hex(base),
                "--size", expected.pagedSize(), "--pas-id", PAS_ID, "--scm", "sim");

        assertEquals(ExitCode.OK, run.exit(), run::toString);
        expected.assertLoadedInto(carveout, base);
        assertEquals(PeripheralState.RUNNING, probe.state(), run::toString);
    }
}
