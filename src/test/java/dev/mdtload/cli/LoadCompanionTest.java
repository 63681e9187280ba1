package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code load --companion} on real bytes: m3_fw as the main image and a650_zap as its DTB companion
 * (a small relocatable signed image under a PAS id of its own), each in a file: carveout; the lite
 * firmware of x1e80100's ADSP; and the secure world's refusal of a countersigned image.
 */
@EnabledOnOs(OS.LINUX)
class LoadCompanionTest {
    private static final RealImage MAIN = RealImage.M3_FW;
    private static final String DTB_PHYS = "0x70000000";

    @TempDir
    Path dir;

    private Path mainCarveout() {
        return dir.resolve("adsp.bin");
    }

    private Path dtbCarveout() {
        return dir.resolve("adsp_dtb.bin");
    }

    /** {@code load IMAGE} as PAS id {@code pasId} with a650_zap as its companion under {@code dtbPasId}, then {@code more}. */
    private CliRun load(Path main, int pasId, Path dtb, int dtbPasId, Object... more) {
        List<Object> args = new ArrayList<>(List.of("load", main, "--carveout", "file:" + mainCarveout(),
                "--phys", "0x" + Long.toHexString(MAIN.minAddress), "--size", MAIN.loadSize, "--pas-id", pasId,
                "--companion", dtb, "--companion-pas-id", dtbPasId, "--companion-carveout", "file:" + dtbCarveout(),
                "--companion-phys", DTB_PHYS, "--companion-size", "0x10000"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray());
    }

    /** Each call {@code --record} wrote, as its name and its first argument (a2: the PAS id of every PIL call). */
    private static List<String> calls(Path record) throws IOException {
        List<String> calls = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(record)) {
            JsonNode call = json.readTree(line);
            calls.add(call.get("call").asText() + " " + call.get("registers").get(2).asText());
        }
        return calls;
    }

    /** Whether {@code file} holds no byte but zero, or does not exist. */
    private static boolean untouched(Path file) throws IOException {
        return ProvisionCompanionTest.firstNonZero(file) == -1;
    }

    @Test
    void load_withACompanion_loadsBoth_andJsonReportsTheCompanionsOwnLoad() throws IOException {
        CliRun run = load(MAIN.path(), 10, RealImage.A650_ZAP.path(), 13, "--json");
        assertEquals(0, run.exit(), run::toString);
        JsonNode result = CliRun.result(run.out());
        assertEquals(10, result.get("pas_id").asInt());
        JsonNode companion = result.get("companions").get(0);
        assertEquals(13, companion.get("pas_id").asInt());
        assertEquals("file:" + dtbCarveout(), companion.get("carveout").asText());
        assertEquals(0x7000_0000L, companion.get("base").asLong());
        assertEquals("running", companion.get("state").asText());
        assertFalse(result.has("lite_shutdowns"), "no SoC given: no lite firmware to shut down");
        ExpectedCarveout.of(RealImage.A650_ZAP.path()).assertLoadedInto(dtbCarveout(), 0x7000_0000L);
        ExpectedCarveout.of(MAIN.path()).assertLoadedInto(mainCarveout(), MAIN.minAddress);
    }

    @Test
    void load_withACompanion_authenticatesItBeforeTheMainImagesInitImage() throws IOException {
        Path record = dir.resolve("calls.jsonl");
        CliRun run = load(MAIN.path(), 10, RealImage.A650_ZAP.path(), 13, "--scm", "record", "--record", record);
        assertEquals(0, run.exit(), run::toString);
        List<String> calls = calls(record);
        assertEquals(List.of("init_image 0xd", "mem_setup 0xd", "auth_and_reset 0xd", "init_image 0xa", "auth_and_reset 0xa"),
                calls);
    }

    @Test
    void load_whenTheMainImageIsRefused_shutsTheCompanionDownAndZeroesItsCarveout() throws IOException {
        // the simulated secure world has peripherals 0..63: init_image of pas id 99 is refused
        CliRun run = load(MAIN.path(), 99, RealImage.A650_ZAP.path(), 13);
        assertEquals(4, run.exit(), run::toString);
        assertTrue(run.err().startsWith("mdtload: secure world refused init_image for pas id 99"), run::toString);
        assertTrue(Files.exists(dtbCarveout()), "the companion was loaded first");
        assertTrue(untouched(dtbCarveout()), "and zeroed when the main image failed");
    }

    @Test
    void load_withAnInvalidCompanion_orAnInvalidMainImage_writesNeitherCarveout() throws IOException {
        Path broken = dir.resolve("broken.mbn");
        byte[] bytes = Files.readAllBytes(RealImage.A650_ZAP.path());
        // the last byte of the code segment (file 0x3000 + p_filesz 0x68c): its digest no longer matches
        bytes[0x368b] ^= 0x55;
        Files.write(broken, bytes);

        CliRun badCompanion = load(MAIN.path(), 10, broken, 13);
        assertEquals(1, badCompanion.exit(), badCompanion::toString);
        assertTrue(badCompanion.err().contains(broken.toString()), badCompanion::toString);
        assertFalse(Files.exists(mainCarveout()) || Files.exists(dtbCarveout()), "nothing was opened or written");

        CliRun badMain = CliRun.of("load", broken, "--carveout", "file:" + mainCarveout(), "--phys", "0x8a400000",
                "--size", "0x10000", "--pas-id", "13", "--companion", MAIN.path(), "--companion-pas-id", 10,
                "--companion-carveout", "file:" + dtbCarveout(), "--companion-phys", "0x" + Long.toHexString(MAIN.minAddress),
                "--companion-size", MAIN.loadSize);
        assertEquals(1, badMain.exit(), badMain::toString);
        assertTrue(badMain.err().contains(broken.toString()), badMain::toString);
        assertFalse(Files.exists(mainCarveout()) || Files.exists(dtbCarveout()), "nothing was opened or written");
    }

    @Test
    void load_refusesARecordOverTheCompanionImage_andLeavesItAndBothCarveoutsAlone() throws IOException {
        Path dtb = Files.copy(RealImage.A650_ZAP.path(), dir.resolve("adsp_dtb.mbn"));
        byte[] before = Files.readAllBytes(dtb);
        CliRun run = load(MAIN.path(), 10, dtb, 13, "--scm", "record", "--record", dtb);
        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("is the input " + dtb), run::toString);
        assertArrayEquals(before, Files.readAllBytes(dtb));
        assertFalse(Files.exists(mainCarveout()) || Files.exists(dtbCarveout()), "no carveout was created");
    }

    @Test
    void load_refusesACompanionUnderTheMainPasId_overlappingOrUnalignedCarveouts_andAnIncompleteCompanion() {
        CliRun samePasId = load(MAIN.path(), 13, RealImage.A650_ZAP.path(), 13);
        assertEquals(2, samePasId.exit(), samePasId::toString);
        assertEquals("mdtload: --companion-pas-id 13 is the main image's --pas-id: the companion is authenticated under "
                + "a PAS id of its own\n", samePasId.err());

        CliRun overlapping = CliRun.of("load", MAIN.path(), "--carveout", "file:" + mainCarveout(),
                "--phys", "0x4b000000", "--size", MAIN.loadSize, "--pas-id", 10, "--companion", RealImage.A650_ZAP.path(),
                "--companion-pas-id", 13, "--companion-carveout", "file:" + dtbCarveout(), "--companion-phys", "0x4b040000",
                "--companion-size", "0x10000");
        assertEquals(2, overlapping.exit(), overlapping::toString);
        assertEquals("mdtload: companion carveout 0x4b040000..0x4b050000 overlaps the carveout 0x4b000000..0x4b050000\n",
                overlapping.err());

        CliRun unaligned = CliRun.of("load", MAIN.path(), "--carveout", "file:" + mainCarveout(),
                "--phys", "0x4b000000", "--size", MAIN.loadSize, "--pas-id", 10, "--companion", RealImage.A650_ZAP.path(),
                "--companion-pas-id", 13, "--companion-carveout", "file:" + dtbCarveout(), "--companion-phys", "0x70000800",
                "--companion-size", "0x10000");
        assertEquals(2, unaligned.exit(), unaligned::toString);
        assertEquals("mdtload: --companion-phys 0x70000800 is not aligned to the 4096-byte page\n", unaligned.err());

        CliRun incomplete = CliRun.of("load", MAIN.path(), "--carveout", "file:" + mainCarveout(),
                "--phys", "0x4b000000", "--size", MAIN.loadSize, "--pas-id", 10, "--companion", RealImage.A650_ZAP.path());
        assertEquals(2, incomplete.exit(), incomplete::toString);
        assertTrue(incomplete.err().contains("--companion-pas-id"), incomplete::toString);
        assertFalse(Files.exists(mainCarveout()) || Files.exists(dtbCarveout()));
    }

    @Test
    void load_onX1e80100sAdsp_shutsBothLiteFirmwareDownFirst() throws IOException {
        Path facts = Files.writeString(dir.resolve("x1e80100.yaml"), "soc: x1e80100\n");
        assertLiteShutDownFirst(load(MAIN.path(), 1, RealImage.A650_ZAP.path(), 0x24, "--facts", facts, "--json"));
    }

    /** With no --facts, the SoC comes from the live device tree's root compatible under --root, as the kernel's driver knows it. */
    @Test
    void load_onX1e80100sAdsp_namedByTheDeviceTreeAlone_shutsBothLiteFirmwareDownFirst() throws IOException {
        Path root = dir.resolve("root");
        Path compatible = root.resolve("sys/firmware/devicetree/base/compatible");
        Files.createDirectories(compatible.getParent());
        Files.write(compatible, "lenovo,yoga-slim7x\0qcom,x1e80100\0".getBytes(StandardCharsets.US_ASCII));
        CliRun run = load(MAIN.path(), 1, RealImage.A650_ZAP.path(), 0x24, "--root", root, "--json", "-v");
        assertLiteShutDownFirst(run);
        assertTrue(run.err().contains("mdtload: SoC x1e80100 from " + compatible + " (no soc fact given)\n"), run::toString);
    }

    private static void assertLiteShutDownFirst(CliRun run) throws IOException {
        assertEquals(0, run.exit(), run::toString);
        JsonNode result = CliRun.result(run.out());
        List<String> lite = new ArrayList<>();
        result.get("lite_shutdowns").forEach(s -> lite.add(s.get("name").asText() + ": " + s.get("detail").asText()));
        assertEquals(List.of("lite_shutdown: pas id 31 (0x1f) shut down", "lite_shutdown: pas id 41 (0x29) shut down"), lite);
        assertEquals("running", result.get("companions").get(0).get("state").asText());
        assertEquals("running", result.get("state").asText());
    }

    @Test
    void load_ofTheDtbAloneOnX1e80100_isRefusedWithExit4_whileTheLiteDtbHoldsItsPasId() throws IOException {
        // the kernel shuts the lite firmware down only when it loads the ADSP (PAS id 1): loaded on
        // its own, the DTB finds the boot firmware's lite DTB still holding PAS id 0x24
        Path facts = Files.writeString(dir.resolve("x1e80100.yaml"), "soc: x1e80100\n");
        CliRun run = CliRun.of("load", RealImage.A650_ZAP.path(), "--carveout", "file:" + dtbCarveout(),
                "--phys", DTB_PHYS, "--size", "0x10000", "--pas-id", "0x24", "--facts", facts);
        assertEquals(4, run.exit(), run::toString);
        assertEquals("mdtload: secure world refused init_image for pas id 36: status -2 (EINVAL): lite-running: the boot "
                + "firmware's lite firmware still runs as pas id 41 (0x29) and holds pas id 36: shut it down first\n", run.err());
        assertTrue(untouched(dtbCarveout()), "nothing was copied into the carveout");
    }

    @Test
    void load_recordedForX1e80100_holdsTheLiteShutdownsFirst_andFusesStillNeedTheSim() throws IOException {
        Path soc = Files.writeString(dir.resolve("soc.yaml"), "soc: x1e80100\n");
        Path record = dir.resolve("calls.jsonl");
        CliRun run = load(MAIN.path(), 1, RealImage.A650_ZAP.path(), 0x24, "--scm", "record", "--record", record,
                "--facts", soc);
        assertEquals(0, run.exit(), run::toString);
        List<String> calls = calls(record);
        assertEquals(List.of("shutdown 0x1f", "shutdown 0x29", "init_image 0x24"), calls.subList(0, 3));

        Path fuses = Files.writeString(dir.resolve("fuses.yaml"), "soc: x1e80100\noem_id: 0\n");
        CliRun refused = load(MAIN.path(), 1, RealImage.A650_ZAP.path(), 0x24, "--scm", "record", "--facts", fuses);
        assertEquals(2, refused.exit(), refused::toString);
    }

    /**
     * a650_zap (MBN v6) made countersigned: a 256-byte QTI signature between its digest table
     * (ending at 0x138 of the hash segment at file 0x1000) and its OEM signature, which with the OEM
     * chain moves up by as much; the chain gives up 256 of its 0xb01 trailing 0xff padding bytes, so
     * the hash segment, the program headers and every digest stay as they were.
     */
    static Path countersigned(Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(RealImage.A650_ZAP.path());
        int hash = 0x1000;
        int table = hash + 0x138;
        int end = hash + 0x1a38;
        for (int i = end - 0x100; i < end; i++) {
            assertEquals((byte) 0xff, bytes[i], "the certificate chain's padding");
        }
        byte[] oem = Arrays.copyOfRange(bytes, table, end - 0x100);
        System.arraycopy(oem, 0, bytes, table + 0x100, oem.length);
        // the QTI signature: the OEM's signature bytes, which no check here verifies
        System.arraycopy(oem, 0, bytes, table, 0x100);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(hash + 8, 0x100);      // qti_signature_size
        header.putInt(hash + 36, 0x1700);    // cert_chain_size
        return Files.write(dir.resolve("a650_zap-countersigned.mbn"), bytes);
    }

    @Test
    void aCountersignedImage_failsPreflightsCountersignCheck_andLoadThroughTheSimIsRefusedWithExit4() throws IOException {
        Path image = countersigned(dir);
        CliRun valid = CliRun.of("validate", image);
        assertEquals(0, valid.exit(), valid::toString);

        CliRun preflight = CliRun.of("preflight", image, "--pas-id", "13");
        assertEquals(1, preflight.exit(), preflight::toString);
        assertTrue(preflight.toString().contains("countersigned: image carries a QTI signature besides the OEM's: "
                + "countersigned images are refused"), preflight::toString);
        CliRun original = CliRun.of("preflight", RealImage.A650_ZAP.path(), "--pas-id", "13");
        assertEquals(0, original.exit(), original::toString);

        Path facts = Files.writeString(dir.resolve("board.yaml"), "oem_id: 0\n");
        Path carveout = dir.resolve("zap.bin");
        CliRun load = CliRun.of("load", image, "--carveout", "file:" + carveout, "--phys", "0x8a400000",
                "--size", "0x10000", "--pas-id", "13", "--scm", "sim", "--facts", facts);
        assertEquals(4, load.exit(), load::toString);
        assertEquals("mdtload: secure world refused init_image for pas id 13: status -2 (EINVAL): countersigned: image "
                + "carries a QTI signature besides the OEM's: countersigned images are refused\n", load.err());
        assertTrue(untouched(carveout), "nothing was copied into the carveout");
    }
}
