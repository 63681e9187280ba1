package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.testing.BoardCopy;
import dev.mdtload.testing.Manifests;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DTB companions and {@code after:} on the fake board. a650_zap stands in for a DTB image: a small
 * relocatable signed image the simulated secure world authenticates under its own PAS id, in a
 * file: carveout of its own (the fake board has no dtb region).
 */
class ProvisionCompanionTest {
    @TempDir
    Path dir;
    Path root;

    @BeforeEach
    void board() {
        root = BoardCopy.create(dir.resolve("board"));
    }

    /** wlan after modem (listed first), adsp after wlan with a companion of pas id {@code companionPasId}. */
    private Path manifest(int adspPasId, int companionPasId) throws IOException {
        return Files.writeString(dir.resolve("manifest.yaml"), Manifests.FAKE_BOARD + "processors:\n"
                + String.format("  - {name: wlan, image: '%s', method: scm, pas_id: 9, carveout: reserved:venus, after: [modem]}%n",
                        RealImage.VENUS.path().toAbsolutePath())
                + Manifests.scm("modem", RealImage.WPSS, "reserved:wpss", 6) + "\n"
                + String.format("  - {name: adsp, image: '%s', method: scm, pas_id: %d, carveout: reserved:m3, after: [wlan],%n"
                        + "     companion: {image: '%s', pas_id: %d, carveout: {spec: 'file:%s', phys: 0x70000000, size: 0x10000}}}%n",
                        RealImage.M3_FW.path().toAbsolutePath(), adspPasId, RealImage.A650_ZAP.path().toAbsolutePath(),
                        companionPasId, dir.resolve("dtb.bin")));
    }

    private static List<String> runOrder(JsonNode report) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        report.get("steps").forEach(s -> {
            if (s.get("phase").asText().equals("run")) {
                order.add(s.get("processor").asText());
            }
        });
        return List.copyOf(order);
    }

    /** The non-plan steps of one processor, {@code phase step result}, as the JSON report lists them. */
    static List<String> steps(JsonNode report, String processor) {
        List<String> steps = new ArrayList<>();
        for (JsonNode s : report.get("steps")) {
            if (processor.equals(s.get("processor").asText()) && !s.get("phase").asText().equals("plan")) {
                steps.add(s.get("phase").asText() + " " + s.get("step").asText() + " " + s.get("result").asText());
            }
        }
        return steps;
    }

    @Test
    void aCompanionAndAnAfterChain_loadInOrder_companionAuthenticatedBeforeTheMainImage() throws IOException {
        CliRun run = CliRun.of("provision", manifest(10, 13), "--root", root, "--json");
        assertEquals(0, run.exit(), run.toString());
        JsonNode report = CliRun.result(run.out());
        assertEquals(List.of("modem", "wlan", "adsp"), runOrder(report));
        assertEquals(List.of("run companion_init_image ok", "run companion_mem_setup ok", "run companion_copy ok",
                "run companion_auth_and_reset ok", "run init_image ok", "run copy ok", "run auth_and_reset ok"),
                steps(report, "adsp"));
        assertTrue(firstNonZero(dir.resolve("dtb.bin")) >= 0, "the companion was copied into its carveout");
    }

    @Test
    void aReportOverTheCompanionImage_isRefusedBeforeAnythingRuns_andTheImageIsUntouched() throws IOException {
        Path dtb = Files.copy(RealImage.A650_ZAP.path(), dir.resolve("adsp_dtb.mbn"));
        byte[] before = Files.readAllBytes(dtb);
        Path manifest = Files.writeString(dir.resolve("dtb-report.yaml"), Manifests.FAKE_BOARD + "processors:\n"
                + String.format("  - {name: adsp, image: '%s', method: scm, pas_id: 10, carveout: reserved:m3,%n"
                        + "     companion: {image: '%s', pas_id: 13, carveout: {spec: 'file:%s', phys: 0x70000000, size: 0x10000}}}%n",
                        RealImage.M3_FW.path().toAbsolutePath(), dtb, dir.resolve("dtb.bin")));
        CliRun run = CliRun.of("provision", manifest, "--root", root, "--report", dtb);
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("is the input " + dtb), run.toString());
        assertArrayEquals(before, Files.readAllBytes(dtb));
        assertFalse(Files.exists(dir.resolve("dtb.bin")), "nothing was loaded");
    }

    @Test
    void aCompanionCarveoutOverTheMainOnesLastPage_isOneProblemNamingBoth_andNothingIsWritten() throws IOException {
        // reserved:m3 is [0x4b000000, 0x4b100000) on the fake board; load refuses the same pair (Boot.of)
        Path dtb = dir.resolve("dtb.bin");
        Path manifest = Files.writeString(dir.resolve("overlap.yaml"), Manifests.FAKE_BOARD + "processors:\n"
                + String.format("  - {name: adsp, image: '%s', method: scm, pas_id: 10, carveout: reserved:m3,%n"
                        + "     companion: {image: '%s', pas_id: 13, carveout: {spec: 'file:%s', phys: 0x4b0ff000, size: 0x10000}}}%n",
                        RealImage.M3_FW.path().toAbsolutePath(), RealImage.A650_ZAP.path().toAbsolutePath(), dtb));
        CliRun run = CliRun.of("provision", manifest, "--root", root);
        assertEquals(1, run.exit(), run.toString());
        assertEquals("mdtload: " + manifest + ":5: processor adsp: carveout file:" + dtb + " [0x4b0ff000, 0x4b10f000) "
                + "overlaps processor adsp's carveout reserved:m3 [0x4b000000, 0x4b100000) in [0x4b0ff000, 0x4b100000)\n",
                run.err());
        assertFalse(Files.exists(dtb), "the companion's carveout was not created");
        assertEquals(-1, BoardCopy.firstNonZero(root, BoardCopy.M3));
    }

    @Test
    void aFailureInTheCompanion_rollsBackBothAndEveryProcessorStartedBefore() throws IOException {
        // the simulated secure world has peripherals 0..63: init_image of companion pas id 99 is refused
        CliRun run = CliRun.of("provision", manifest(10, 99), "--root", root, "--json");
        assertEquals(4, run.exit(), run.toString());
        JsonNode report = CliRun.result(run.out());
        assertEquals("adsp", report.get("failure").get("processor").asText());
        assertEquals("companion_init_image", report.get("failure").get("step").asText());
        assertEquals(List.of("wlan", "modem"), Json.MAPPER.convertValue(report.get("rolled_back"), List.class));
        // refused at init_image, before anything was copied: the main image is never touched
        assertEquals(List.of("run companion_init_image failed"), steps(report, "adsp"));
        for (BoardCopy.Region r : List.of(BoardCopy.WPSS, BoardCopy.VENUS, BoardCopy.M3)) {
            assertEquals(-1, BoardCopy.firstNonZero(root, r), r.name());
        }
        assertEquals(-1, firstNonZero(dir.resolve("dtb.bin")));
    }

    @Test
    void aFailureInTheMainImage_shutsTheCompanionDownAndWipesIt() throws IOException {
        CliRun run = CliRun.of("provision", manifest(99, 13), "--root", root, "--json");
        assertEquals(4, run.exit(), run.toString());
        JsonNode report = CliRun.result(run.out());
        assertEquals("init_image", report.get("failure").get("step").asText());
        assertEquals(List.of("run companion_init_image ok", "run companion_mem_setup ok", "run companion_copy ok",
                "run companion_auth_and_reset ok", "run init_image failed", "rollback companion_shutdown ok",
                "rollback companion_wipe ok"), steps(report, "adsp"));
        assertEquals(-1, firstNonZero(dir.resolve("dtb.bin")));
    }

    @Test
    void onX1e80100_theAdspsLiteFirmwareIsShutDownBeforeItsCompanion_andTheSimRefusesNothing() throws IOException {
        assertLiteShutDownFirst(x1e80100Adsp("facts: {soc: x1e80100}\n"));
    }

    /** With no soc: fact, the board's live device tree names the SoC (its root compatible's last string). */
    @Test
    void onABoardWhoseDeviceTreeSaysX1e80100_theLiteFirmwareIsShutDownWithoutASocFact() throws IOException {
        Files.write(root.resolve("sys/firmware/devicetree/base/compatible"),
                "lenovo,yoga-slim7x\0qcom,x1e80100\0".getBytes(StandardCharsets.US_ASCII));
        assertLiteShutDownFirst(x1e80100Adsp(""));
    }

    /** x1e80100's ADSP (m3's image standing in) with its DTB companion, under {@code settings} beside the fake board's. */
    private Path x1e80100Adsp(String settings) throws IOException {
        return Files.writeString(dir.resolve("x1e80100.yaml"), Manifests.FAKE_BOARD + settings
                + "processors:\n"
                + String.format("  - {name: adsp, image: '%s', method: scm, pas_id: 1, carveout: reserved:m3,%n"
                        + "     companion: {image: '%s', pas_id: 0x24, carveout: {spec: 'file:%s', phys: 0x70000000, size: 0x10000}}}%n",
                        RealImage.M3_FW.path().toAbsolutePath(), RealImage.A650_ZAP.path().toAbsolutePath(), dir.resolve("dtb.bin")));
    }

    private void assertLiteShutDownFirst(Path manifest) throws IOException {
        CliRun run = CliRun.of("provision", manifest, "--root", root, "--json");
        assertEquals(0, run.exit(), run.toString());
        assertEquals(List.of("run lite_shutdown ok", "run lite_shutdown ok", "run companion_init_image ok",
                "run companion_mem_setup ok", "run companion_copy ok", "run companion_auth_and_reset ok", "run init_image ok",
                "run copy ok", "run auth_and_reset ok"), steps(CliRun.result(run.out()), "adsp"));
    }

    @Test
    void anAfterCycle_orAnUnknownName_isRefusedBeforeAnythingRuns() throws IOException {
        Path cycle = Files.writeString(dir.resolve("cycle.yaml"), Manifests.FAKE_BOARD + "processors:\n"
                + String.format("  - {name: wlan, image: '%s', method: scm, pas_id: 9, carveout: reserved:venus, after: [modem]}%n",
                        RealImage.VENUS.path().toAbsolutePath())
                + String.format("  - {name: modem, image: '%s', method: scm, pas_id: 6, carveout: reserved:wpss, after: [wlan]}%n",
                        RealImage.WPSS.path().toAbsolutePath()));
        CliRun run = CliRun.of("provision", cycle, "--root", root);
        assertEquals(2, run.exit(), run.toString());
        assertEquals("mdtload: " + cycle + ":5: processor wlan: after: a cycle: wlan -> modem -> wlan\n", run.err());

        Path unknown = Files.writeString(dir.resolve("unknown.yaml"), Manifests.FAKE_BOARD + "processors:\n"
                + String.format("  - {name: wlan, image: '%s', method: scm, pas_id: 9, carveout: reserved:venus, after: [mpss]}%n",
                        RealImage.VENUS.path().toAbsolutePath()));
        CliRun refused = CliRun.of("provision", unknown, "--root", root);
        assertEquals(2, refused.exit(), refused.toString());
        assertEquals("mdtload: " + unknown + ":5: processor wlan: after: no processor is named 'mpss'\n", refused.err());
    }

    /** The offset of the first byte of {@code file} that is not zero; -1 when there is none or no file. */
    static long firstNonZero(Path file) throws IOException {
        if (!Files.exists(file)) {
            return -1;
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return i;
            }
        }
        return -1;
    }
}
