package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.testing.BoardCopy;
import dev.mdtload.testing.Manifests;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** preflight on its own, and the same checks made by the simulated secure world of load and provision. */
class PreflightCommandTest {
    // the roots docs/signatures-corpus.txt records: a650_zap's SecTools PSS root, wpss's SecTools P-384 root
    private static final String PSS_TEST_ROOT = "f8ab20526358c4fa4cef96d78c45180dc3db75e8f24051ad624448c134b4e861";
    private static final String P384_TEST_ROOT = "959b8d0549ef41befabc24f51efe84fee366ac169ab04a0db30c799b324fd798";

    @TempDir
    Path dir;

    @Test
    void preflight_passesTheImagesOwnFacts_andNamesEachFailedCheckWithExit1() {
        Path zap = RealImage.A650_ZAP.path();
        CliRun own = CliRun.of("preflight", zap, "--pas-id", "13", "--oem-id", "0", "--model-id", "0", "--root-sha256", PSS_TEST_ROOT);
        assertEquals(0, own.exit(), own.toString());
        assertEquals("", own.err());

        CliRun other = CliRun.of("preflight", zap, "--pas-id", "13", "--oem-id", "0x1234", "--root-sha256", P384_TEST_ROOT);
        assertEquals(1, other.exit(), other.toString());
        assertEquals(List.of("mdtload: " + zap + ": root-mismatch: image root sha256 " + PSS_TEST_ROOT + ", board " + P384_TEST_ROOT,
                "mdtload: " + zap + ": oem-id-mismatch: image OEM_ID 0x0, board 0x1234"), other.errLines());
    }

    @Test
    void preflight_optionsOverrideTheFactsFile_andABadFileIsAUsageError() throws IOException {
        Path facts = Files.writeString(dir.resolve("board.yaml"), "oem_id: 0x1234\n");
        CliRun overridden = CliRun.of("preflight", RealImage.A650_ZAP.path(), "--pas-id", "13", "--facts", facts, "--oem-id", "0");
        assertEquals(0, overridden.exit(), overridden.toString());

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "oem: 1\n");
        CliRun refused = CliRun.of("preflight", RealImage.A650_ZAP.path(), "--pas-id", "13", "--facts", bad);
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("unknown fact 'oem'"), refused.err());
    }

    @Test
    void load_withFacts_failsAsTheBoardWouldWithExit4AndTheNamedCheck() throws IOException {
        Path facts = Files.writeString(dir.resolve("board.yaml"), "oem_id: 0x1234\n");
        Path carveout = dir.resolve("zap.bin");
        CliRun run = CliRun.of("load", RealImage.A650_ZAP.path(), "--carveout", "file:" + carveout, "--phys", "0x8a400000",
                "--size", "0x10000", "--pas-id", "13", "--facts", facts);
        assertEquals(4, run.exit(), run.toString());
        assertEquals("mdtload: secure world refused init_image for pas id 13: status -2 (EINVAL): "
                + "oem-id-mismatch: image OEM_ID 0x0, board 0x1234\n", run.err());
        assertTrue(!Files.exists(carveout) || ProvisionCompanionTest.firstNonZero(carveout) == -1, "nothing was copied into the carveout");

        Path own = Files.writeString(dir.resolve("own.yaml"), "oem_id: 0\nroot_sha256: " + PSS_TEST_ROOT + "\n");
        CliRun ok = CliRun.of("load", RealImage.A650_ZAP.path(), "--carveout", "file:" + dir.resolve("zap2.bin"),
                "--phys", "0x8a400000", "--size", "0x10000", "--pas-id", "13", "--facts", own);
        assertEquals(0, ok.exit(), ok.toString());
    }

    @Test
    void load_withFactsButNoSecureWorldToCheckThem_isAUsageError() throws IOException {
        Path facts = Files.writeString(dir.resolve("board.yaml"), "oem_id: 0x1234\n");
        CliRun run = CliRun.of("load", RealImage.A650_ZAP.path(), "--carveout", "file:" + dir.resolve("zap.bin"),
                "--phys", "0x8a400000", "--size", "0x10000", "--pas-id", "13", "--scm", "record", "--facts", facts);
        assertEquals(2, run.exit(), run.toString());
        assertFalse(Files.exists(dir.resolve("zap.bin")));
    }

    @Test
    void provision_withManifestFacts_refusesTheImageUnderAnotherRootAndRollsBackTheFirst() throws IOException {
        Path root = BoardCopy.create(dir.resolve("board"));
        // the fuses hold wpss's root: wpss starts, venus (another root) is refused as the board would
        Path manifest = Files.writeString(dir.resolve("manifest.yaml"), Manifests.FAKE_BOARD
                + "facts: {root_sha256: " + P384_TEST_ROOT + ", oem_id: 0}\nprocessors:\n"
                + Manifests.scm("wpss", RealImage.WPSS, "reserved:wpss", 6) + "\n"
                + Manifests.scm("venus", RealImage.VENUS, "reserved:venus", 9) + "\n");
        CliRun run = CliRun.of("provision", manifest, "--root", root, "--json");
        assertEquals(4, run.exit(), run.toString());
        JsonNode report = CliRun.result(run.out());
        assertEquals("venus", report.get("failure").get("processor").asText());
        assertEquals("init_image", report.get("failure").get("step").asText());
        assertTrue(report.get("failure").get("message").asText().endsWith("root-mismatch: image root sha256 "
                + "b53fb23d1953decb95928fe657556cea6edab3444dc708c019057cbaf8c62d4a, board " + P384_TEST_ROOT), run.out());
        assertEquals(List.of("wpss"), Json.MAPPER.convertValue(report.get("rolled_back"), List.class));
        assertEquals(-1, BoardCopy.firstNonZero(root, BoardCopy.WPSS));
    }

    @Test
    void provision_refusesAnUnknownFactAtTheFactsLine() throws IOException {
        Path manifest = Files.writeString(dir.resolve("manifest.yaml"), Manifests.FAKE_BOARD
                + "facts:\n  oem: 1\nprocessors:\n" + Manifests.scm("wpss", RealImage.WPSS, "reserved:wpss", 6) + "\n");
        CliRun run = CliRun.of("provision", manifest, "--root", BoardCopy.create(dir.resolve("board")), "--dry-run");
        assertEquals(2, run.exit(), run.toString());
        assertEquals("mdtload: " + manifest + ":4: facts: unknown fact 'oem' (known: root_sha256, oem_id, model_id, hw_id, rollback, soc)\n",
                run.err());
    }
}
