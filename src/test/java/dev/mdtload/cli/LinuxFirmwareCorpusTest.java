package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.testing.Corpus;
import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.PilImages;
import dev.mdtload.testing.RawElf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Every PIL image of the real linux-firmware corpus ({@code scripts/fetch-linux-firmware}, run by
 * {@code make test-corpus}) through {@code info}, {@code validate}, {@code validate --signatures},
 * the squash/split round trip and a {@code load} through the simulated secure world. Expected
 * values come from the tests' own reader ({@link RawElf}, {@link PilImages}, the JDK's X.509
 * parser), never from mdtload: the corpus holds invariants, not copied numbers.
 */
@Tag("corpus")
class LinuxFirmwareCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAS_ID = 1;

    /**
     * ELF files with a hash segment that no PIL loader reads: the device's own boot ROM or modem
     * takes them over a bus, so neither the kernel's mdt loader nor a PAS service ever checks them.
     */
    static final Map<String, String> NOT_PIL = new TreeMap<>(Map.of(
            "qcom/aic100/.*",
            "Cloud AI 100 firmware: the qaic driver sends it to the card over MHI (Sahara); the card places it",
            "ath1[12]k/.*/amss\\.bin",
            "PCIe WLAN firmware: MHI downloads it whole (BHIe) to the chip, which places it itself"));

    /**
     * Images that are PIL-shaped but not valid, with the rule they break and why no board is
     * hurt by the refusal. Everything else in the corpus must be valid.
     */
    record KnownInvalid(String rule, String reason) {}

    static final Map<String, KnownInvalid> KNOWN_INVALID = Map.of();

    private static Path root;
    private static List<String> images;
    /** Each signed image's root, by the JDK's parser: the "other" root for one is any different one. */
    private static Map<String, Optional<String>> roots;

    @BeforeAll
    static void findImages() throws Exception {
        root = Corpus.root();
        images = new ArrayList<>();
        for (Path p : PilImages.find(root)) {
            String rel = p.toString();
            if (NOT_PIL.keySet().stream().noneMatch(rel::matches)) {
                images.add(rel);
            }
        }
        assertFalse(images.isEmpty(), "no PIL image under " + root);
        roots = new LinkedHashMap<>();
        for (String image : images) {
            roots.put(image, KNOWN_INVALID.containsKey(image) ? Optional.empty()
                    : PilImages.rootSha256(RawElf.read(root.resolve(image)).hashSegment()));
        }
    }

    static Stream<String> images() throws Exception {
        if (images == null) {
            findImages();
        }
        return images.stream();
    }

    static Stream<String> splitImages() throws Exception {
        return images().filter(image -> expected(image).split());
    }

    private static ExpectedCarveout expected(String image) {
        try {
            return ExpectedCarveout.of(root.resolve(image));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode json(String line) throws IOException {
        return CliRun.result(line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void info_agreesWithTheTestsOwnReader(String image) throws Exception {
        RawElf raw = RawElf.read(root.resolve(image));
        CliRun run = CliRun.of("info", "--json", root.resolve(image));
        assertEquals(KNOWN_INVALID.containsKey(image) ? ExitCode.INVALID : ExitCode.OK, run.exit(), run::toString);
        JsonNode info = json(run.outLines().getFirst());
        assertEquals(raw.phdrs().size(), info.get("phnum").asInt());
        assertEquals(PilImages.loadSize(raw), info.get("load_size").asLong());
        assertEquals(expected(image).split(), info.get("split").asBoolean());
        if (!KNOWN_INVALID.containsKey(image)) {
            assertEquals(PilImages.mbnVersion(raw.hashSegment()), info.get("mbn_version").asInt());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void validate_findsEveryImageValidOrInTheDocumentedList(String image) throws Exception {
        CliRun run = CliRun.of("validate", "--json", root.resolve(image));
        KnownInvalid known = KNOWN_INVALID.get(image);
        if (known == null) {
            run.assertValidWithWarningsOnly();
            assertTrue(json(run.out()).get("valid").asBoolean());
        } else {
            assertEquals(ExitCode.INVALID, run.exit(), run::toString);
            assertTrue(run.err().contains("[" + known.rule() + "]"), () -> image + " is listed for " + known.rule() + ": " + run);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void validateSignatures_verifiesWithTheImagesOwnRootAndFailsWithAnother(String image) throws Exception {
        assumeFalse(KNOWN_INVALID.containsKey(image), "listed as invalid: no signature to speak of");
        Path path = root.resolve(image);
        Optional<String> own = roots.get(image);
        if (own.isEmpty()) {
            // unsigned (ath11k IPQ images): exempt under --allow-unsigned, and reported as unsigned
            CliRun run = CliRun.of("validate", "--signatures", "--allow-unsigned", "--json", path);
            run.assertValidWithWarningsOnly();
            assertEquals("unsigned", json(run.out()).get("signature").get("status").asText());
            return;
        }
        CliRun mine = CliRun.of("validate", "--root-sha256", own.get(), "--json", path);
        mine.assertValidWithWarningsOnly();
        JsonNode signature = json(mine.out()).get("signature");
        assertEquals("verified", signature.get("status").asText());
        assertEquals(own.get(), signature.get("root").get("sha256").asText());
        assertEquals("pinned", signature.get("root").get("pinning").asText());

        String other = roots.values().stream().flatMap(Optional::stream).filter(r -> !r.equals(own.get())).findFirst()
                .orElseThrow(() -> new AssertionError("the corpus has a single root"));
        CliRun theirs = CliRun.of("validate", "--root-sha256", other, "--json", path);
        assertEquals(ExitCode.INVALID, theirs.exit(), theirs::toString);
        assertEquals("mismatch", json(theirs.out()).get("signature").get("root").get("pinning").asText());
        assertTrue(theirs.err().contains("[root-mismatch]"), theirs::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splitImages")
    void squashThenSplit_givesBackTheSameFilesByteForByte(String image, @TempDir Path dir) throws Exception {
        Path mdt = root.resolve(image);
        String base = mdt.getFileName().toString().replaceFirst("\\.mdt$", "");
        Path squashed = dir.resolve(base + ".mbn");
        CliRun squash = CliRun.of("squash", mdt, "-o", squashed);
        assertEquals(ExitCode.OK, squash.exit(), squash::toString);
        Path out = dir.resolve("split");
        CliRun split = CliRun.of("split", squashed, "-o", out);
        assertEquals(ExitCode.OK, split.exit(), split::toString);

        List<String> written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        for (RawElf.Phdr p : RawElf.read(mdt).phdrs()) {
            String part = String.format("%s.b%02d", base, p.index());
            if (p.filesz() > 0 && !p.isHash() && p.index() > 0) {
                assertTrue(written.contains(part), () -> part + " holds segment bytes and must be written: " + written);
            }
        }
        for (String name : written) {
            Path original = mdt.resolveSibling(name);
            assertTrue(Files.exists(original), () -> name + " has no original beside " + mdt);
            assertEquals(-1, Files.mismatch(original, out.resolve(name)), () -> name + " differs from the original");
        }
        Path again = dir.resolve("again.mbn");
        assertEquals(ExitCode.OK, CliRun.of("squash", out.resolve(base + ".mdt"), "-o", again).exit());
        assertEquals(-1, Files.mismatch(squashed, again), "squash of the split is the first squash");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void load_placesTheImageWhereTheTestsOwnReaderDoes(String image, @TempDir Path dir) throws Exception {
        assumeFalse(KNOWN_INVALID.containsKey(image), "listed as invalid: refused before loading");
        Path path = root.resolve(image);
        ExpectedCarveout expected = ExpectedCarveout.of(path);
        // a carveout is whole pages (qca/msbtfw11.mbn starts mid-page, at 0x24c50)
        long base = expected.pageBase();
        long size = expected.pagedSize();
        // the file carveout is created sparse at --size: only the segments' bytes take room
        Path carveout = dir.resolve("carveout.bin");
        CliRun run = CliRun.of(simulated(), "load", path, "--carveout", "file:" + carveout,
                "--phys", "0x" + Long.toHexString(base), "--size", size, "--pas-id", PAS_ID, "--scm", "sim", "--json");
        try {
            assertEquals(ExitCode.OK, run.exit(), run::toString);
            assertEquals("running", json(run.out()).get("state").asText());
            expected.assertLoadedInto(carveout, base);
        } finally {
            Files.deleteIfExists(carveout);
        }
    }

    /** The load command as the tool wires it: the simulated secure world, unwrapped. */
    private static CommandLine.IFactory simulated() {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == LoadCommand.class ? type.cast(new LoadCommand(UnaryOperator.<SecureMonitor>identity()))
                        : CommandLine.defaultFactory().create(type);
            }
        };
    }

    /**
     * docs/corpus.md: one row per image from {@code validate --signatures --allow-unsigned --json},
     * written where {@code -Dmdtload.corpus.table} says (make test-corpus: docs/corpus.md), with the
     * JSON lines it was made from beside it in target/.
     */
    @Test
    void corpusTable_isWrittenFromValidate() throws Exception {
        List<Object> args = new ArrayList<>(List.of("validate", "--signatures", "--allow-unsigned", "--json"));
        images.forEach(image -> args.add(root.resolve(image)));
        CliRun run = CliRun.of(args.toArray());
        List<String> lines = run.outLines();
        assertEquals(images.size(), lines.size(), run::toString);
        Path raw = Path.of("target/corpus-validate.jsonl");
        Files.createDirectories(raw.getParent());
        Files.writeString(raw, run.out());

        StringBuilder md = new StringBuilder();
        md.append("# The linux-firmware corpus, image by image\n\n");
        md.append("Generated by `make test-corpus` (`LinuxFirmwareCorpusTest`) from `mdtload validate --signatures "
                + "--allow-unsigned --json` over every PIL image of the corpus `scripts/fetch-linux-firmware` unpacks "
                + "(").append(root.getParent().getParent().getParent().getFileName()).append("); raw output: `")
                .append(raw).append("`. Run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(", machine load (`/proc/loadavg`) ").append(loadAverage()).append(".\n\n");
        md.append(images.size()).append(" PIL images (ELF files with a QCOM hash segment, found by content; symlinks "
                + "and `.bNN` parts not counted); ").append(lines.stream().filter(l -> l.contains("\"valid\":true")).count())
                .append(" valid.\n\n");
        md.append("| image | MBN | digest | signature scheme | root | load size | verdict | warnings |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < lines.size(); i++) {
            JsonNode o = json(lines.get(i));
            JsonNode s = o.path("signature");
            md.append("| `").append(images.get(i)).append("` | ")
                    .append(text(o.get("mbn_version"))).append(" | ")
                    .append(text(o.get("digest_algorithm"))).append(" | ")
                    .append(s.has("scheme") ? text(s.get("scheme")) : text(s.get("status"))).append(" | ")
                    .append(rootLabel(s)).append(" | ")
                    .append(text(o.get("load_size"))).append(" | ")
                    .append(o.get("valid").asBoolean() ? "valid" : "INVALID: " + ruleIds(o.get("errors"))).append(" | ")
                    .append(ruleIds(o.get("warnings"))).append(" |\n");
        }
        md.append("\nNot PIL images, so not in the table (found by content, loaded by something else):\n\n");
        NOT_PIL.forEach((pattern, reason) -> md.append("- `").append(pattern).append("`: ").append(reason).append("\n"));
        if (!KNOWN_INVALID.isEmpty()) {
            md.append("\nListed as invalid, with the reason no board is hurt by the refusal:\n\n");
        }
        KNOWN_INVALID.forEach((image, known) -> md.append("- `").append(image).append("` (`").append(known.rule())
                .append("`): ").append(known.reason()).append("\n"));
        Path table = Path.of(System.getProperty("mdtload.corpus.table", "target/corpus.md"));
        Files.writeString(table, md, StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "-" : node.asText();
    }

    /** The root's label and kind (test, production, unknown), or none for an unsigned image. */
    private static String rootLabel(JsonNode signature) {
        JsonNode root = signature.path("root");
        return root.hasNonNull("label") ? root.get("label").asText() + " (" + text(root.get("kind")) + ")" : "-";
    }

    /** The distinct rule ids of a list of violations (objects with "rule", or plain ids). */
    private static String ruleIds(JsonNode list) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            return "";
        }
        TreeSet<String> ids = new TreeSet<>();
        list.forEach(v -> ids.add(v.isTextual() ? v.asText() : v.path("rule").asText()));
        return String.join(", ", ids);
    }

    private static String loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        return Files.isReadable(loadavg) ? Files.readString(loadavg).strip() : "unknown";
    }
}
