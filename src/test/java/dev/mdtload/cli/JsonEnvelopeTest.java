package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.mdtload.testing.BoardCopy;
import dev.mdtload.testing.FakeBoard;
import dev.mdtload.testing.Manifests;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's {@code --json}, on success and on failure, is one envelope per line that
 * {@code docs/mdtload-output.schema.json} accepts, read by a schema validator as a consumer would.
 */
class JsonEnvelopeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = schema();
    private static final Path VALID = FakeBoard.SAMPLES.resolve("valid");
    private static final Path BROKEN = FakeBoard.SAMPLES.resolve("broken/digest-mismatch/digest-mismatch.mbn");
    /** A Java class name (FileAlreadyExistsException, java.nio...) or a temporary file's name, in a message. */
    private static final Pattern LEAK = Pattern.compile("[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Exception|Error)\\b|java\\.|\\.tmp\\b|\\$");

    private static Schema schema() {
        try {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(Files.readString(Path.of("docs/mdtload-output.schema.json")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code args}, checks exit and that every stdout line is a valid envelope agreeing with it; returns the envelopes. */
    private static List<JsonNode> envelopes(int exit, Object... args) throws IOException {
        CliRun run = CliRun.of(args);
        assertEquals(exit, run.exit(), run::toString);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.outLines()) {
            JsonNode node = JSON.readTree(line);
            List<Error> errors = SCHEMA.validate(node);
            assertTrue(errors.isEmpty(), () -> errors + "\n" + line);
            lines.add(node);
        }
        assertFalse(lines.isEmpty(), run::toString);
        assertEquals(exit, lines.stream().mapToInt(n -> n.get("exit_code").asInt()).max().orElseThrow(), run::toString);
        for (JsonNode n : lines) {
            for (JsonNode e : n.get("errors")) {
                assertFalse(LEAK.matcher(e.get("message").asText()).find(), e::toString);
            }
        }
        assertFalse(LEAK.matcher(run.err()).find(), run::toString);
        return lines;
    }

    private static JsonNode envelope(int exit, Object... args) throws IOException {
        List<JsonNode> lines = envelopes(exit, args);
        assertEquals(1, lines.size(), lines::toString);
        return lines.getFirst();
    }

    @Test
    void validate_writesOneEnvelopePerImage_withTheRulesAtTopLevel() throws IOException {
        // the ELF64 samples are mdtload's own reading only: no kernel loads them
        List<JsonNode> lines = envelopes(1, "validate", "--json", VALID);
        assertTrue(lines.size() > 10, lines::toString);
        lines.forEach(n -> assertEquals("validate", n.get("command").asText()));
        JsonNode broken = envelope(1, "validate", "--json", BROKEN);
        assertFalse(broken.get("ok").asBoolean());
        assertEquals("digest-mismatch", broken.get("errors").get(0).get("rule").asText());
        assertEquals(BROKEN.toString(), broken.get("errors").get(0).get("path").asText());
        assertFalse(broken.get("result").get("valid").asBoolean());
        envelopes(0, "validate", "--json", "--kernel", "all", RealImage.WPSS.path());
    }

    @Test
    void validate_ofManyPaths_givesEachAVerdictThenTheWorstExitCode(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nonexistent.mbn");
        List<JsonNode> lines = envelopes(2, "validate", "--json", missing, RealImage.WPSS.path(), BROKEN);
        assertEquals(3, lines.size(), lines::toString);
        JsonNode gone = lines.getFirst();
        assertEquals(2, gone.get("exit_code").asInt());
        assertTrue(gone.get("result").isNull());
        assertEquals(missing + ": no such file or directory", gone.get("errors").get(0).get("message").asText());
        assertTrue(lines.get(1).get("ok").asBoolean(), lines::toString);
        assertEquals(1, lines.get(2).get("exit_code").asInt());

        CliRun text = CliRun.of("validate", missing, RealImage.WPSS.path());
        assertEquals(2, text.exit(), text::toString);
        assertTrue(text.out().contains("VALID   " + RealImage.WPSS.path()), text::toString);
        assertEquals(List.of("mdtload: " + missing + ": no such file or directory"), text.errLines());
    }

    @Test
    void info_onSuccessAndOnFailure(@TempDir Path dir) throws IOException {
        assertTrue(envelope(0, "info", "--json", RealImage.WPSS.path()).get("ok").asBoolean());
        assertEquals(1, envelope(1, "info", "--json", BROKEN).get("exit_code").asInt());
        JsonNode missing = envelope(2, "info", "--json", dir.resolve("x.mbn"));
        assertEquals("usage", missing.get("errors").get(0).get("rule").asText());
    }

    @Test
    void map_reportsTheImageAndTheCarveoutAsNumbers() throws IOException {
        RealImage wpss = RealImage.WPSS;
        JsonNode map = envelope(0, "map", "--json", wpss.path(), "--phys", "0x9ae00000", "--size", "0x1900000");
        JsonNode result = map.get("result");
        assertEquals(wpss.path().toString(), result.get("image").asText());
        assertEquals(0x9ae00000L, result.get("base").asLong());
        assertEquals(0x1900000L, result.get("size").asLong());
        assertEquals(wpss.loadSize, result.get("load_size").asLong());
        JsonNode refused = envelope(1, "map", "--json", BROKEN, "--phys", "0x9ae00000", "--size", "0x1900000");
        assertTrue(refused.get("result").isNull());
        assertFalse(refused.get("errors").isEmpty(), refused::toString);
    }

    @Test
    void load_givesTheCarveoutSpecAndNumbers_andAFailureItsEnvelope(@TempDir Path dir) throws IOException {
        Path carveout = dir.resolve("wpss.bin");
        JsonNode load = envelope(0, "load", "--json", RealImage.WPSS.path(), "--carveout", "file:" + carveout,
                "--phys", "0x9ae00000", "--size", "0x1900000", "--pas-id", "6");
        assertEquals("file:" + carveout, load.get("result").get("carveout").asText());
        assertEquals("running", load.get("result").get("state").asText());
        JsonNode wrongPlace = envelope(1, "load", "--json", RealImage.WPSS.path(), "--carveout", "file:" + dir.resolve("x.bin"),
                "--phys", "0x80000000", "--size", "0x1900000", "--pas-id", "6");
        assertEquals("segment-outside-carveout", wrongPlace.get("errors").get(0).get("rule").asText());
        JsonNode dmaHeap = envelope(2, "load", "--json", RealImage.WPSS.path(), "--carveout", "dma-heap:system",
                "--size", "0x1900000", "--pas-id", "6");
        assertEquals("usage", dmaHeap.get("errors").get(0).get("rule").asText());
    }

    @Test
    void load_withACompanionAndLiteShutdowns_reportsBothImagesInTheSchema(@TempDir Path dir) throws IOException {
        Path facts = Files.writeString(dir.resolve("x1e80100.yaml"), "soc: x1e80100\n");
        RealImage m3 = RealImage.M3_FW;
        JsonNode load = envelope(0, "load", "--json", m3.path(), "--carveout", "file:" + dir.resolve("adsp.bin"),
                "--phys", "0x" + Long.toHexString(m3.minAddress), "--size", m3.loadSize, "--pas-id", "1",
                "--companion", RealImage.A650_ZAP.path(), "--companion-pas-id", "0x24",
                "--companion-carveout", "file:" + dir.resolve("dtb.bin"), "--companion-phys", "0x70000000",
                "--companion-size", "0x10000", "--facts", facts);
        assertEquals(0x24, load.get("result").get("companions").get(0).get("pas_id").asInt());
        assertEquals(2, load.get("result").get("lite_shutdowns").size());
    }

    @Test
    void load_atEl2_listsItsSteps_andAnEl2RefusalItsEnvelope(@TempDir Path dir) throws IOException {
        Path carveout = dir.resolve("wpss.bin");
        JsonNode load = envelope(0, "load", "--json", RealImage.WPSS.path(), "--carveout", "file:" + carveout,
                "--phys", "0x9ae00000", "--size", "0x1900000", "--pas-id", "6", "--el2",
                "--iommu-map", "wpss:identity=0x9ae00000+0x1900000");
        List<String> steps = new ArrayList<>();
        load.get("result").get("steps").forEach(s -> steps.add(s.get("name").asText()));
        assertEquals(List.of("validate", "rsc_table", "init_image", "copy", "unmap", "iommu_map", "shm_bridge_create",
                "auth_and_reset", "shm_bridge_delete"), steps);
        assertEquals("running", load.get("result").get("state").asText());
        JsonNode noWindow = envelope(2, "load", "--json", RealImage.WPSS.path(), "--carveout", "file:" + carveout,
                "--phys", "0x9ae00000", "--size", "0x1900000", "--pas-id", "6", "--el2");
        assertEquals("usage", noWindow.get("errors").get(0).get("rule").asText());
    }

    @Test
    void provision_atEl2_listsLoadsEl2Steps_andAMissingWindowIsAPlanError(@TempDir Path dir) throws IOException {
        Path root = BoardCopy.create(dir.resolve("board"));
        String manifest = Manifests.FAKE_BOARD + "host: el2\niommu_map: ['wpss:identity=0x9ae00000+0x1900000']\n"
                + "processors:\n" + Manifests.scm("wpss", RealImage.WPSS, "reserved:wpss", 6) + "\n";
        JsonNode provision = envelope(0, "provision", Files.writeString(dir.resolve("el2.yaml"), manifest), "--root", root,
                "--json");
        List<String> steps = new ArrayList<>();
        provision.get("result").get("steps").forEach(s -> {
            if (s.get("phase").asText().equals("run")) {
                steps.add(s.get("step").asText());
            }
        });
        assertEquals(List.of("rsc_table", "init_image", "copy", "unmap", "iommu_map", "shm_bridge_create",
                "auth_and_reset", "shm_bridge_delete"), steps);
        Path noWindow = Files.writeString(dir.resolve("no-window.yaml"), manifest.replace("0x1900000']", "0x1000']"));
        JsonNode refused = envelope(1, "provision", noWindow, "--root", root, "--json");
        assertEquals("provision-plan", refused.get("errors").get(0).get("rule").asText());
    }

    @Test
    void boardCertsRprocAndProvision_writeTheEnvelopeToo(@TempDir Path dir) throws IOException {
        envelope(0, "board", "--json", "--dtb", FakeBoard.DTB);
        envelope(0, "certs", "--json", RealImage.WPSS.path());
        envelope(1, "certs", "--json", BROKEN.resolveSibling("nothing-here.mbn").getParent().resolve("digest-mismatch.mbn"));
        Path root = FakeBoard.copy(dir.resolve("board"));
        assertTrue(envelope(0, "rproc", "list", "--json", "--root", root, "--sysfs", "sim").get("result").isArray());
        envelope(0, "rproc", "status", "m3", "--json", "--root", root, "--sysfs", "sim");
        envelope(2, "rproc", "status", "no-such-processor", "--json", "--root", root, "--sysfs", "sim");
        JsonNode provision = envelope(0, "provision", FakeBoard.SAMPLES.resolve("board/manifest.yaml"), "--root", root,
                "--dry-run", "--json");
        assertEquals("recorded", provision.get("result").get("outcome").asText());
    }

    @Test
    void doctorAndPreflight_writeTheEnvelopeToo_withTheirFindingsAsErrors(@TempDir Path dir) throws IOException {
        Path root = FakeBoard.copy(dir.resolve("board"));
        JsonNode sick = envelope(1, "doctor", "--json", "--root", root, "--dtb", FakeBoard.SAMPLES.resolve("board/broken.dtb"));
        assertFalse(sick.get("ok").asBoolean());
        assertFalse(sick.get("errors").isEmpty(), sick::toString);
        assertTrue(sick.get("result").get("processors").isArray(), sick::toString);

        Path zap = RealImage.A650_ZAP.path();
        envelope(0, "preflight", "--json", zap, "--pas-id", "13", "--oem-id", "0", "--model-id", "0");
        JsonNode refused = envelope(1, "preflight", "--json", zap, "--pas-id", "13", "--oem-id", "0x1234");
        assertEquals("oem-id-mismatch", refused.get("errors").get(0).get("rule").asText(), refused::toString);
        assertEquals(zap.toString(), refused.get("errors").get(0).get("path").asText());
        envelope(2, "preflight", "--json", zap, "--pas-id", "13", "--facts", dir.resolve("no-such-facts.yaml"));
    }

    @Test
    void squashSplitAndSign_reportWhatTheyWrote_andAnExistingOutputIsAUsageFailure(@TempDir Path dir) throws IOException {
        Path mbn = dir.resolve("wpss.mbn");
        JsonNode squash = envelope(0, "squash", "--json", RealImage.WPSS.path(), "-o", mbn);
        assertEquals(mbn.toString(), squash.get("result").get("outputs").get(0).asText());
        JsonNode again = envelope(2, "squash", "--json", RealImage.WPSS.path(), "-o", mbn);
        assertEquals(mbn + ": already exists (use --force to replace it)", again.get("errors").get(0).get("message").asText());
        envelope(0, "split", "--json", mbn, "-o", dir.resolve("split"));
        envelope(0, "sign", "--json", VALID.resolve("v6-elf32-fixed-squashed.mbn"), "--mbn-version", "7", "--sw-id", "0xc",
                "--scheme", "ecdsa-p384-sha384", "-o", dir.resolve("signed.mbn"));
    }

    @Test
    void errorPaths_nameNoJavaClassAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        // an output in a directory that is not there: the temporary file beside it must not be named
        envelope(2, "squash", "--json", RealImage.WPSS.path(), "-o", dir.resolve("nonexist/x.mbn"));
        // an output that is a directory
        envelope(2, "squash", "--json", RealImage.WPSS.path(), "-o", dir, "--force");
        // a path through a regular file
        envelope(2, "info", "--json", file.resolve("x.mdt"));
        envelope(2, "validate", "--json", file.resolve("x.mdt"));
        envelope(2, "board", "--json", "--dtb", dir.resolve("none.dtb"));
        envelope(1, "board", "--json", "--dtb", file);
    }
}
