package dev.mdtload.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Severity;
import dev.mdtload.cli.CommandTree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the generator once and judges every sample through the command line, as a user would:
 * the catalogue must cover the brief's matrix of valid images and every rule with a broken one.
 */
class SampleGeneratorTest {
    /**
     * The rule no file at rest can break (a race while reading), those only --signatures checks, and the
     * kernel's versioned rules the valid samples show per kernel (KernelOracleTest); every other rule
     * needs a sample in broken/, warning/ or, when only some kernels refuse it, kernel/.
     */
    private static final Set<String> RULES_WITHOUT_SAMPLE = Set.of("part-changed", "unsigned", "chain-invalid",
            "root-mismatch", "signature-invalid", "signature-scheme-unknown", "elf64-not-loadable", "taken-as-split");
    /** Rules whose sample is in kernel/: refused by some kernel releases, loaded by others. */
    private static final Set<String> KERNEL_RULES = Set.of("phoff-ignored");
    /** Broken only against a carveout, which validate does not know. */
    private static final String CARVEOUT_RULE = "segment-outside-carveout";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path generated;

    @TempDir
    Path scratch;

    @BeforeAll
    static void generate() throws IOException {
        SampleGenerator.generate(generated);
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = CommandTree.commandLine(args);
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".mdt") || p.toString().endsWith(".mbn")).sorted().toList();
        }
    }

    private static JsonNode validateJson(Path image) throws IOException {
        Run r = run("validate", "--json", "--kernel", "none", image.toString());
        JsonNode report = dev.mdtload.cli.CliRun.result(r.out());
        assertEquals(report.get("valid").asBoolean() ? 0 : 1, r.exit(), image + ": " + r.err());
        return report;
    }

    @Test
    void validSamples_allValidate_andCoverEveryVersionClassLayoutAndPlacement() throws IOException {
        Set<List<Object>> kinds = new HashSet<>();
        List<Path> images = images(generated.resolve("valid"));
        for (Path image : images) {
            JsonNode r = validateJson(image);
            assertTrue(r.get("valid").asBoolean(), () -> image + ": " + r.get("errors"));
            kinds.add(List.of(r.get("mbn_version").asInt(), r.get("elf_class").asInt(), r.get("split").asBoolean(),
                    r.get("relocatable").asBoolean()));
            JsonNode last = r.get("segments").get(r.get("phnum").asInt() - 1);
            assertEquals(0, last.get("filesz").asLong(), image + ": the last segment is bss");
            assertTrue(last.get("memsz").asLong() > 0, image + ": the last segment is bss");
        }
        Set<List<Object>> expected = new HashSet<>();
        for (int version : List.of(3, 5, 6, 7)) {
            for (int bits : List.of(32, 64)) {
                for (boolean split : List.of(false, true)) {
                    for (boolean relocatable : List.of(false, true)) {
                        expected.add(List.of(version, bits, split, relocatable));
                    }
                }
            }
        }
        assertEquals(expected, kinds);
        assertEquals(expected.size(), images.size(), "one image of each kind");
    }

    @Test
    void everyBrokenSample_failsWithExactlyItsOwnRule() throws IOException {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(generated.resolve("broken"))) {
            dirs = list.sorted().toList();
        }
        for (Path dir : dirs) {
            String rule = dir.getFileName().toString();
            if (rule.equals(CARVEOUT_RULE)) {
                continue;
            }
            List<Path> images = images(dir);
            assertEquals(1, images.size(), dir + " holds one image");
            Run r = run("validate", "--json", "--kernel", "none", images.getFirst().toString());
            assertEquals(1, r.exit(), images.getFirst() + ": " + r.out());
            JsonNode report = dev.mdtload.cli.CliRun.result(r.out());
            Set<String> rules = new TreeSet<>();
            report.get("errors").forEach(e -> rules.add(e.get("rule").asText()));
            assertEquals(Set.of(rule), rules, images.getFirst().toString());
            assertTrue(r.err().contains("[" + rule + "]"), r.err());
        }
    }

    @Test
    void brokenSamples_coverEveryErrorThatAFileCanBreak_andWarningSamplesEveryWarning() throws IOException {
        for (Severity severity : Severity.values()) {
            Set<String> covered;
            try (Stream<Path> list = Files.list(generated.resolve(severity == Severity.ERROR ? "broken" : "warning"))) {
                covered = list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            }
            Set<String> expected = Arrays.stream(Rule.values()).filter(r -> r.severity() == severity).map(Rule::id)
                    .filter(id -> !RULES_WITHOUT_SAMPLE.contains(id) && !KERNEL_RULES.contains(id))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, covered, severity.id());
        }
        try (Stream<Path> list = Files.list(generated.resolve("kernel"))) {
            assertEquals(KERNEL_RULES, list.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    /**
     * The releases each kernel/ sample names (declared from the kernel's history, e.g. 47e339cac891
     * in 6.17 and 6.12.95) against mdtload's verdict under --kernel: exactly the sample's rule where
     * refused, valid where loaded, and valid by mdtload's own reading.
     */
    @Test
    void everyKernelSample_isRefusedWithItsRuleByTheReleasesItNames_andLoadedByTheOthers() throws IOException {
        for (KernelSamples.KernelSample k : KernelSamples.all()) {
            Path image = generated.resolve(k.sample().image());
            String rule = k.sample().rule().id();
            assertTrue(validateJson(image).get("valid").asBoolean(), image + " under --kernel none");
            for (var release : k.refusedBy()) {
                Run r = run("validate", "--json", "--kernel", release.toString(), image.toString());
                assertEquals(1, r.exit(), image + " under " + release + ": " + r.out());
                Set<String> rules = new TreeSet<>();
                JSON.readTree(r.out()).get("errors").forEach(e -> rules.add(e.get("rule").asText()));
                assertEquals(Set.of(rule), rules, image + " under " + release);
            }
            for (var release : k.loadedBy()) {
                Run r = run("validate", "--kernel", release.toString(), image.toString());
                assertEquals(0, r.exit(), image + " under " + release + ": " + r.err());
            }
            assertFalse(k.refusedBy().isEmpty() || k.loadedBy().isEmpty(), "a kernel sample splits the releases");
        }
    }

    @Test
    void everyWarningSample_isValidWithExactlyItsOwnWarning_andRefusedWhenStrict() throws IOException {
        List<Path> dirs;
        try (Stream<Path> list = Files.list(generated.resolve("warning"))) {
            dirs = list.sorted().toList();
        }
        assertFalse(dirs.isEmpty());
        for (Path dir : dirs) {
            String rule = dir.getFileName().toString();
            List<Path> images = images(dir);
            assertEquals(1, images.size(), dir + " holds one image");
            String image = images.getFirst().toString();
            JsonNode report = validateJson(images.getFirst());
            assertTrue(report.get("valid").asBoolean(), () -> image + ": " + report.get("errors"));
            Set<String> warnings = new TreeSet<>();
            report.get("warnings").forEach(w -> warnings.add(w.get("rule").asText()));
            assertEquals(Set.of(rule), warnings, image);
            Run strict = run("validate", "--strict", image);
            assertEquals(1, strict.exit(), image + ": " + strict.out());
            assertTrue(strict.err().contains("[" + rule + "]"), strict.err());
        }
    }

    @Test
    void carveoutSample_validatesAlone_butDoesNotFitItsCarveout() throws IOException {
        Path dir = generated.resolve("broken").resolve(CARVEOUT_RULE);
        Path image = images(dir).getFirst();
        assertTrue(validateJson(image).get("valid").asBoolean());
        Properties carveout = new Properties();
        carveout.load(new StringReader(Files.readString(dir.resolve("carveout.txt"))));
        Run r = run("map", image.toString(), "--phys", carveout.getProperty("phys"), "--size", carveout.getProperty("size"));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("[" + CARVEOUT_RULE + "]"), r.err());
    }

    @Test
    void readme_listsEverySample() throws IOException {
        String readme = Files.readString(generated.resolve("README.md"));
        for (Path image : images(generated)) {
            String relative = generated.relativize(image).toString();
            assertTrue(readme.contains("[`" + relative + "`]"), relative);
        }
        for (String rule : RULES_WITHOUT_SAMPLE) {
            assertTrue(readme.contains("`" + rule + "`: "), rule);
        }
    }

    @Test
    void check_namesEachFileThatDrifted_andNothingElse() throws IOException {
        Path dir = copyOfGenerated();
        Path part = dir.resolve("valid/v6-elf32-fixed-split.b02");
        byte[] bytes = Files.readAllBytes(part);
        bytes[7] ^= 1;
        Files.write(part, bytes);
        Path loop = dir.resolve("broken/part-unreadable/part-unreadable.b02");
        Files.delete(loop);
        Files.createSymbolicLink(loop, Path.of("elsewhere"));
        Path directory = dir.resolve("broken/part-not-regular-file/part-not-regular-file.b02");
        Files.delete(directory.resolve(".keep"));
        Files.delete(directory);
        Files.write(directory, new byte[0]);
        Path extra = dir.resolve("broken/extra");
        Files.createDirectories(extra);
        Files.write(extra.resolve("x.mbn"), new byte[1]);

        Run drifted = run("samples", dir.toString(), "--check");

        assertEquals(1, drifted.exit());
        assertEquals(List.of(
                "mdtload: " + extra + ": not written by the generator",
                "mdtload: " + directory + ": is a file, the generator writes a directory",
                "mdtload: " + loop + ": links to elsewhere, the generator links to part-unreadable.b02",
                "mdtload: " + part + ": differs from what the generator writes, first at byte 7"),
                drifted.err().lines().toList());
    }

    @Test
    void generate_replacesWhatItWrote_andLeavesOtherFilesAlone() throws IOException {
        Path dir = copyOfGenerated();
        Path stale = dir.resolve("valid/stale.mdt");
        Files.write(stale, new byte[] {1});
        Files.write(dir.resolve("valid/v3-elf32-fixed-squashed.mbn"), new byte[] {1});
        Path other = dir.resolve("board/manifest.yaml");
        Files.createDirectories(other.getParent());
        Files.write(other, new byte[] {2});

        assertEquals(0, run("samples", dir.toString()).exit());

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(other));
        assertEquals(List.of(), TreeDiff.compare(generated, dir, SampleGenerator.OWNED));
        try (Stream<Path> list = Files.list(dir)) {
            assertEquals(List.of("README.md", "board", "broken", "kernel", "valid", "warning"),
                    list.map(p -> p.getFileName().toString()).sorted().toList(), "no staging directory left behind");
        }
    }

    @Test
    void generate_writesTheSameBytesEveryRun_soTheCommittedSamplesMatchIt() throws IOException {
        Path committed = Path.of(System.getProperty("mdtload.samples", "firmware-samples"));
        List<String> drift = new ArrayList<>();
        TreeDiff.compare(generated, committed, SampleGenerator.OWNED).forEach(d -> drift.add(d.line()));
        assertEquals(List.of(), drift, "run 'bin/mdtload samples firmware-samples' and commit the result");
    }

    /** The generated tree copied as it is (links as links), to be changed by one test. */
    private Path copyOfGenerated() throws IOException {
        Path copy = scratch.resolve("samples");
        try (Stream<Path> walk = Files.walk(generated)) {
            for (Path p : walk.toList()) {
                Path target = copy.resolve(generated.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        return copy;
    }

    @Test
    void check_ofAMissingDirectory_isAUsageError() {
        Run r = run("samples", scratch.resolve("absent").toString(), "--check");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("absent"), r.err());
    }
}
