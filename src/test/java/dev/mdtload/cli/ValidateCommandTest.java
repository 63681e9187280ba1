package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdtload.check.Rule;
import dev.mdtload.testing.ElfBytes;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidateCommandTest {
    /** A plain Jackson mapper: the test reads JSON as any consumer would, not through the tool's own settings. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> jsonLines(CliRun r) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : r.outLines()) {
            nodes.add(CliRun.result(line));
        }
        return nodes;
    }

    private static void assertNumber(long expected, JsonNode node, String what) {
        assertTrue(node.isIntegralNumber(), () -> what + " must be a JSON number, was " + node);
        assertEquals(expected, node.asLong(), what);
    }

    /** The fields issue 3 lists, against the README and the tests' own reader. */
    static void assertReportMatchesReadme(RealImage image, JsonNode o) throws Exception {
        String name = image.fileName();
        assertTrue(o.get("valid").asBoolean(), o::toString);
        assertNumber(32, o.get("elf_class"), name + " elf_class");
        assertNumber(image.phnum, o.get("phnum"), name + " phnum");
        assertTrue(o.get("split").isBoolean());
        assertEquals(image.split(), o.get("split").asBoolean(), name);
        assertNumber(image.mbnVersion, o.get("mbn_version"), name + " mbn_version");
        assertEquals(image.digestAlgorithm, o.get("digest_algorithm").asText(), name);
        assertNumber(image.loadSize, o.get("load_size"), name + " load_size");
        assertNumber(image.span, o.get("span"), name + " span");
        assertNumber(image.minAddress, o.get("min_address"), name + " min_address");
        assertEquals(image.relocatable, o.get("relocatable").asBoolean(), name);
        assertNumber(image.signatureSize, o.get("signature_size"), name + " signature_size");
        assertNumber(image.certChainSize, o.get("cert_chain_size"), name + " cert_chain_size");
        assertTrue(o.get("errors").isArray() && o.get("errors").isEmpty(), o::toString);
        JsonNode segments = o.get("segments");
        assertEquals(image.phnum, segments.size());
        for (RawElf.Phdr p : image.raw().phdrs()) {
            JsonNode s = segments.get(p.index());
            String what = name + " segment " + p.index();
            assertNumber(p.index(), s.get("index"), what);
            assertNumber(p.type(), s.get("p_type"), what);
            assertNumber(p.qcomType(), s.get("qcom_type"), what);
            assertNumber(p.flags(), s.get("flags"), what);
            assertNumber(p.offset(), s.get("offset"), what);
            assertNumber(p.paddr(), s.get("paddr"), what);
            assertNumber(p.filesz(), s.get("filesz"), what);
            assertNumber(p.memsz(), s.get("memsz"), what);
            if (p.filesz() == 0) {
                assertTrue(s.get("source").isNull(), what);
            } else {
                String source = image.split() && p.index() >= 2 ? image.part(p.index()).getFileName().toString() : name;
                assertEquals(source, s.get("source").asText(), what);
            }
            assertEquals(p.isHash() || p.filesz() == 0 ? "zero" : "ok", s.get("digest").asText(), what);
        }
    }

    @Test
    void validateJson_writesOneObjectPerRealImageWithTheReadmeFacts(@TempDir Path dir) throws Exception {
        Path tree = RealImage.firmwareTree(dir);
        CliRun r = CliRun.of("validate", "--json", tree);
        r.assertValid();
        List<JsonNode> objects = jsonLines(r);
        assertEquals(6, objects.size(), "venus.mdt links to venus.mbn: one image, counted once");
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode o : objects) {
            byName.put(Path.of(o.get("path").asText()).getFileName().toString(), o);
        }
        assertEquals(Set.of("m3_fw.mdt", "q6_fw.mdt", "wpss.mdt", "venus.mbn", "a650_zap.mbn", "mba.mbn"), byName.keySet());
        for (RealImage image : RealImage.values()) {
            JsonNode o = byName.get(image.fileName());
            assertEquals(tree.resolve(image.relative).toString(), o.get("path").asText());
            assertReportMatchesReadme(image, o);
        }
    }

    @Test
    void validateJson_reportsErrorsWithRuleSegmentAndMessage(@TempDir Path dir) throws Exception {
        Path mdt = RealImage.M3_FW.copyTo(dir);
        Files.delete(dir.resolve("m3_fw.b02"));
        Path junk = Files.write(dir.resolve("junk.mbn"), "not an elf at all, but long enough".getBytes());
        CliRun r = CliRun.of("validate", "--json", mdt, junk);
        assertEquals(ExitCode.INVALID, r.exit());
        List<JsonNode> objects = jsonLines(r);
        assertEquals(2, objects.size());

        JsonNode m3 = objects.get(0);
        assertEquals(mdt.toString(), m3.get("path").asText());
        assertTrue(m3.get("valid").isBoolean() && !m3.get("valid").asBoolean());
        JsonNode error = m3.get("errors").get(0);
        assertEquals("part-missing", error.get("rule").asText());
        assertNumber(2, error.get("segment"), "segment");
        assertTrue(error.get("message").asText().contains("m3_fw.b02"), error::toString);
        assertEquals("missing", m3.get("segments").get(2).get("digest").asText());
        assertTrue(m3.get("segments").get(2).get("source").isNull());

        JsonNode bad = objects.get(1);
        assertEquals("bad-magic", bad.get("errors").get(0).get("rule").asText());
        assertTrue(bad.get("errors").get(0).get("segment").isNull(), "a header rule has no segment");
        for (String field : new String[] {"elf_class", "phnum", "mbn_version", "digest_algorithm", "load_size",
                "min_address", "segments"}) {
            assertTrue(bad.get(field).isNull(), field + " is null when the ELF header cannot be read");
        }
    }

    @Test
    void validateJson_mbnVersionAndAlgorithmAreNullWithoutHashSegment(@TempDir Path dir) throws Exception {
        byte[] elf = ElfBytes.elf32().phdr(1, 5, 0x100, 0x1000, 4, 4)
                .payload(0x100, new byte[] {1, 2, 3, 4}).build();
        Path f = Files.write(dir.resolve("plain.mbn"), elf);
        CliRun r = CliRun.of("validate", "--json", "--allow-unsigned", f);
        r.assertValid();
        JsonNode o = jsonLines(r).getFirst();
        assertTrue(o.get("mbn_version").isNull());
        assertTrue(o.get("digest_algorithm").isNull());
        assertEquals("missing", o.get("segments").get(0).get("digest").asText());
    }

    /** The field names in the first column of README.md's tables under "## JSON output". */
    private static Set<String> documentedJsonFields() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("mdtload.home", ".")).resolve("README.md"));
        String section = readme.substring(readme.indexOf("## JSON output"));
        int next = section.indexOf("\n## ", 3);
        Set<String> fields = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_0-9]+)` \\|")
                .matcher(next < 0 ? section : section.substring(0, next));
        while (m.find()) {
            fields.add(m.group(1));
        }
        return fields;
    }

    private static void collectFields(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                into.add(e.getKey());
                collectFields(e.getValue(), into);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectFields(n, into));
        }
    }

    @Test
    void readme_documentsEveryJsonField(@TempDir Path dir) throws Exception {
        Path mdt = RealImage.M3_FW.copyTo(dir);
        Files.delete(dir.resolve("m3_fw.b02"));
        CliRun r = CliRun.of("validate", "--json", mdt, RealImage.WPSS.path());
        Set<String> written = new TreeSet<>();
        for (String envelope : r.outLines()) {
            collectFields(JSON.readTree(envelope), written);
        }
        assertEquals(written, documentedJsonFields());
    }

    @Test
    void validate_printsOneVerdictPerImageAndASummary(@TempDir Path dir) throws Exception {
        Path tree = RealImage.firmwareTree(dir);
        CliRun r = CliRun.of("validate", tree);
        r.assertValid();
        for (RealImage image : RealImage.values()) {
            String path = tree.resolve(image.relative).toString();
            String verdict = r.outLines().stream().filter(l -> l.contains(path)).findFirst().orElseThrow();
            assertTrue(verdict.startsWith("VALID"), verdict);
            assertTrue(verdict.contains("load size " + image.loadSize), verdict);
            assertTrue(verdict.contains("MBN v" + image.mbnVersion + " " + image.digestAlgorithm), verdict);
            assertTrue(verdict.contains(image.split() ? "split" : "single file"), verdict);
        }
        assertTrue(r.outLines().stream().noneMatch(l -> l.contains("venus.mdt")), r.out());
    }

    @Test
    void validate_takesSeveralPathsAndCountsAnImageOnce(@TempDir Path dir) throws Exception {
        Path venus = RealImage.VENUS.copyTo(dir);
        Files.createSymbolicLink(dir.resolve("venus.mdt"), venus.getFileName());
        CliRun r = CliRun.of("validate", venus, venus.getParent(), RealImage.MBA.path());
        r.assertValid();
        assertEquals("2 images: 2 valid, 0 invalid", r.outLines().getLast());
        assertEquals(Arrays.asList(true, true), r.outLines().subList(0, 2).stream().map(l -> l.startsWith("VALID")).toList());
    }

    /** The apq8016 wcnss.mbn shape: valid, with one warning. */
    private static final Path WARNED = Path.of("firmware-samples/warning/zero-fill-overlap/zero-fill-overlap.mbn");

    @Test
    void validate_listsAWarningWithItsRuleId_andExitsZero() {
        CliRun run = CliRun.of("validate", WARNED);
        run.assertValidWithWarning(WARNED, 5, Rule.ZERO_FILL_OVERLAP);
        assertTrue(run.out().contains("1 image: 1 valid (1 with warnings), 0 invalid"), run.out());
    }

    @Test
    void validate_strict_refusesTheWarningAsAnError() {
        CliRun run = CliRun.of("validate", "--strict", WARNED);
        run.assertInvalid(WARNED, 5, Rule.ZERO_FILL_OVERLAP);
        assertTrue(run.errLines().stream().noneMatch(l -> l.startsWith(CliRun.WARNING)), run.err());
    }

    @Test
    void validateJson_carriesWarningsBesideErrors_andTheBytesHashed() throws Exception {
        CliRun run = CliRun.of("validate", "--json", WARNED);
        JsonNode r = CliRun.result(run.out());
        assertTrue(r.get("valid").asBoolean());
        assertEquals(0, r.get("errors").size());
        assertEquals("zero-fill-overlap", r.get("warnings").get(0).get("rule").asText());
        assertEquals(5, r.get("warnings").get(0).get("segment").asInt());
        // headers, code and data, each hashed once: the file's segments with bytes, read independently
        RawElf raw = RawElf.read(WARNED);
        long withBytes = raw.phdrs().stream().filter(p -> !p.isHash()).mapToLong(RawElf.Phdr::filesz).sum();
        assertEquals(withBytes, r.get("hashed_bytes").asLong());
    }

    @Test
    void info_showsTheWarningAndItsVerdict() {
        CliRun run = CliRun.of("info", WARNED);
        assertEquals(ExitCode.OK, run.exit(), run::toString);
        assertTrue(run.out().contains("warning: segment 5: "), run.out());
        assertTrue(run.out().contains("verdict: VALID, warnings: zero-fill-overlap"), run.out());
        assertTrue(run.err().startsWith(CliRun.WARNING + WARNED + ": segment 5: "), run.err());
    }
}
