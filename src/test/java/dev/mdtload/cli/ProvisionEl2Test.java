package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.provision.ManifestReader;
import dev.mdtload.provision.Plan;
import dev.mdtload.testing.BoardCopy;
import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.Manifests;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A manifest for a board whose Linux runs at EL2 with no hypervisor ({@code host: el2}, the
 * x1e80100 laptops): every scm image loads as {@code load --el2} loads it, through the simulated
 * secure world told that the OS runs at EL2, which refuses auth_and_reset while the loader still
 * maps the carveout or no SHM bridge covers it. wpss goes into a file: carveout of its own, venus
 * into the fake board's reserved region.
 */
@EnabledOnOs(OS.LINUX)
class ProvisionEl2Test {
    private static final String WPSS_WINDOW = "wpss:identity=0x9ae00000+0x1900000";
    private static final String VENUS_WINDOW = "venus:identity=0x8b200000+0x500000";

    @TempDir
    Path dir;
    Path root;
    Path wpssCarveout;

    @BeforeEach
    void board() {
        root = BoardCopy.create(dir.resolve("board"));
        wpssCarveout = dir.resolve("wpss.bin");
    }

    /** wpss, then venus, at EL2 with these windows. */
    private Path manifest(String... windows) throws IOException {
        return Files.writeString(dir.resolve("el2.yaml"), Manifests.FAKE_BOARD + "host: el2\n"
                + "iommu_map: ['" + String.join("', '", windows) + "']\n"
                + "processors:\n"
                + Manifests.scm("wpss", RealImage.WPSS, "{spec: 'file:" + wpssCarveout + "', phys: 0x9ae00000, size: 0x1900000}", 6)
                + "\n" + Manifests.scm("venus", RealImage.VENUS, "reserved:venus", 9) + "\n");
    }

    private static String detail(JsonNode report, String processor, String step) {
        for (JsonNode s : report.get("steps")) {
            if (processor.equals(s.get("processor").asText()) && step.equals(s.get("step").asText())) {
                return s.get("detail").asText();
            }
        }
        throw new AssertionError("no step " + step + " of " + processor);
    }

    @Test
    void atEl2_eachImageLoadsInTheKernelsEl2Order_andTheSecureWorldAuthenticatesIt() throws Exception {
        Path manifest = manifest(WPSS_WINDOW, VENUS_WINDOW);
        CliRun run = CliRun.of("provision", manifest, "--root", root, "--json");

        assertEquals(0, run.exit(), run.toString());
        JsonNode report = CliRun.result(run.out());
        int ran = 0;
        for (JsonNode s : report.get("steps")) {
            ran += s.get("phase").asText().equals("run") ? 1 : 0;
        }
        try (Plan plan = Plan.of(ManifestReader.read(manifest), root, false)) {
            assertEquals(ran, plan.runSteps(), "the progress bar counts the EL2 steps too");
        }
        assertEquals("ok", report.get("outcome").asText());
        // the steps and order of load --el2 (LoaderEl2Test): the table first, then unmap, map, bridge around auth
        assertEquals(List.of("run rsc_table ok", "run init_image ok", "run copy ok", "run unmap ok", "run iommu_map ok",
                "run shm_bridge_create ok", "run auth_and_reset ok", "run shm_bridge_delete ok"), ProvisionCompanionTest.steps(report, "wpss"));
        assertEquals(List.of("run rsc_table ok", "run init_image ok", "run mem_setup ok", "run copy ok", "run unmap ok",
                "run iommu_map ok", "run shm_bridge_create ok", "run auth_and_reset ok", "run shm_bridge_delete ok"),
                ProvisionCompanionTest.steps(report, "venus"));
        assertEquals("DMA 0x8b200000 (device venus) = phys 0x8b200000 + 0x500000", detail(report, "venus", "iommu_map"));
        report.get("processors").forEach(p -> assertEquals("running", p.get("state").asText(), p.toString()));

        ExpectedCarveout.of(RealImage.WPSS.path()).assertLoadedInto(wpssCarveout, 0x9ae00000L);
        ExpectedCarveout venus = ExpectedCarveout.of(RealImage.VENUS.path());
        for (RawElf.Phdr p : venus.loadable()) {
            long at = BoardCopy.VENUS.base() + venus.offset(p, BoardCopy.VENUS.base());
            assertArrayEquals(venus.fileBytes(p), BoardCopy.memory(root, at, Math.toIntExact(p.filesz())),
                    "venus segment " + p.index());
        }
    }

    @Test
    void atEl2_aCarveoutNoWindowWhollyHolds_isAPlanProblem_andNothingIsOpenedOrWritten() throws IOException {
        // venus's window stops a MiB short of its region's end
        Path manifest = manifest(WPSS_WINDOW, "venus:identity=0x8b200000+0x400000");
        Map<String, String> before = BoardCopy.snapshot(root);

        CliRun run = CliRun.of("provision", manifest, "--root", root, "--json");

        assertEquals(1, run.exit(), run.toString());
        assertEquals("mdtload: " + manifest + ":8: processor venus: host: el2: no identity window of iommu_map holds "
                + "carveout reserved:venus [0x8b200000, 0x8b700000), and its processor sees it through one: add "
                + "DEVICE:identity=0x8b200000+0x500000\n", run.err());
        JsonNode report = CliRun.result(run.out());
        assertEquals("provision-plan", Json.MAPPER.readTree(run.out()).get("errors").get(0).get("rule").asText());
        report.get("processors").forEach(p -> assertEquals("not_started", p.get("state").asText(), p.toString()));
        assertEquals(before, BoardCopy.snapshot(root), "nothing under the root was written");
        assertFalse(Files.exists(wpssCarveout), "wpss, whose window is right, was not loaded either");
    }

    @Test
    void atEl2_aDryRunRecordsTheEl2CallsInTheirWireOrder_andChangesNothing() throws IOException {
        Map<String, String> before = BoardCopy.snapshot(root);
        Path calls = dir.resolve("calls.jsonl");

        CliRun run = CliRun.of("provision", manifest(WPSS_WINDOW, VENUS_WINDOW), "--root", root, "--dry-run", "--json",
                "--record", calls);

        assertEquals(0, run.exit(), run.toString());
        assertEquals("recorded", CliRun.result(run.out()).get("outcome").asText());
        List<String> recorded = new ArrayList<>();
        for (String line : Files.readAllLines(calls)) {
            recorded.add(Json.MAPPER.readTree(line).get("call").asText());
        }
        List<String> el2 = List.of("get_rsc_table", "init_image", "shm_bridge_create", "auth_and_reset", "shm_bridge_delete");
        List<String> venus = List.of("get_rsc_table", "init_image", "mem_setup", "shm_bridge_create", "auth_and_reset",
                "shm_bridge_delete");
        List<String> expected = new ArrayList<>(el2);
        expected.addAll(venus);
        assertEquals(expected, recorded);
        assertEquals(before, BoardCopy.snapshot(root));
        assertFalse(Files.exists(wpssCarveout), "a dry run loads into anonymous memory");
    }

    @Test
    void atEl2_aDtbCompanionGoesThroughTheSamePath_beforeItsMainImage() throws IOException {
        Path dtb = dir.resolve("dtb.bin");
        Path manifest = Files.writeString(dir.resolve("adsp.yaml"), Manifests.FAKE_BOARD + "host: el2\n"
                + "iommu_map: ['adsp:identity=0x4b000000+0x100000', 'adsp_dtb:identity=0x70000000+0x10000']\n"
                + "processors:\n"
                + String.format("  - {name: adsp, image: '%s', method: scm, pas_id: 10, carveout: reserved:m3,%n"
                        + "     companion: {image: '%s', pas_id: 13, carveout: {spec: 'file:%s', phys: 0x70000000, size: 0x10000}}}%n",
                        RealImage.M3_FW.path().toAbsolutePath(), RealImage.A650_ZAP.path().toAbsolutePath(), dtb));

        CliRun run = CliRun.of("provision", manifest, "--root", root, "--json");

        assertEquals(0, run.exit(), run.toString());
        assertEquals(List.of("run companion_rsc_table ok", "run companion_init_image ok", "run companion_mem_setup ok",
                "run companion_copy ok", "run companion_unmap ok", "run companion_iommu_map ok",
                "run companion_shm_bridge_create ok", "run companion_auth_and_reset ok", "run companion_shm_bridge_delete ok",
                "run rsc_table ok", "run init_image ok", "run copy ok", "run unmap ok", "run iommu_map ok",
                "run shm_bridge_create ok", "run auth_and_reset ok", "run shm_bridge_delete ok"),
                ProvisionCompanionTest.steps(CliRun.result(run.out()), "adsp"));
        assertTrue(ProvisionCompanionTest.firstNonZero(dtb) >= 0, "the companion was copied into its carveout");
    }
}
