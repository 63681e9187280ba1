package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.testing.Corpus;
import dev.mdtload.testing.FakeBoard;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mdtload doctor} on copies of the fake board, with the real images of ../shared/firmware staged into them. */
class DoctorCommandTest {
    private static final Path BROKEN_DTB = FakeBoard.SAMPLES.resolve("board/broken.dtb");
    private static final String WPSS = "ath11k/WCN6750/hw1.0";
    private static final String IPQ8074 = "ath11k/IPQ8074/hw2.0";
    private static final String VENUS = "qcom/venus-5.2";
    private static final String RELEASE = "6.12.95+deb13-arm64";
    /** "mdtload: PROCESSOR: message [rule]", errors only. */
    private static final Pattern ERROR_LINE = Pattern.compile("mdtload: ([^ :]+): .* \\[([a-z0-9-]+)]");

    @Test
    void doctor_namesACorruptedAndAMissingImage_andNothingOnceTheyAreRepaired(@TempDir Path dir) throws IOException {
        Path root = FakeBoard.copy(dir);
        write(root.resolve("proc/sys/kernel/osrelease"), RELEASE + "\n");
        Path lib = root.resolve("lib/firmware");
        // good: wpss in the versioned updates directory, which the kernel searches before lib/firmware,
        // where a copy cut short (a part missing) is shadowed by it
        stage(WPSS, "wpss", lib.resolve("updates").resolve(RELEASE));
        stageFile(WPSS + "/wpss.mdt", lib);
        // good: q6 in the directory firmware_class.path names, searched first of all
        write(root.resolve("sys/module/firmware_class/parameters/path"), "/vendor/firmware\n");
        stage(IPQ8074, "q6_fw", root.resolve("vendor/firmware"));
        // corrupted: one byte of venus's code flipped; missing: m3
        Path venus = stageFile(VENUS + "/venus.mbn", lib);
        byte[] good = Files.readAllBytes(venus);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= (byte) 0xff;
        Files.write(venus, bad);

        CliRun sick = CliRun.of("doctor", "--root", root);
        assertEquals(1, sick.exit(), sick.err());
        assertEquals(Map.of("video-codec@aa00000", Set.of("digest-mismatch"), "remoteproc@4ab000", Set.of("firmware-missing")),
                errorsByProcessor(sick), sick.err());
        assertTrue(sick.out().contains("firmware " + WPSS + "/wpss.mdt: " + lib.resolve("updates").resolve(RELEASE)
                .resolve(WPSS + "/wpss.mdt") + ", valid"), sick.out());
        assertTrue(sick.out().contains(root.resolve("vendor/firmware").resolve(IPQ8074 + "/q6_fw.mdt") + ", valid"), sick.out());
        assertTrue(sick.err().contains("m3_fw.mdt is in none of [" + root.resolve("vendor/firmware") + ", "
                + lib.resolve("updates").resolve(RELEASE) + ", " + lib.resolve("updates") + ", " + lib.resolve(RELEASE)
                + ", " + lib + "]"), sick.err());
        // the board runs 6.12.95 (its /proc says so, its tree says Qualcomm): the verdict is that kernel's
        assertTrue(sick.out().contains("kernel 6.12.95, release " + RELEASE), sick.out());

        Files.write(venus, good);
        stage(IPQ8074, "m3_fw", lib);
        CliRun well = CliRun.of("doctor", "--root", root);
        assertEquals(0, well.exit(), well.err());
        assertEquals("", well.err());
        assertTrue(well.out().contains("5 processors: 4 would start, 0 would fail, 1 disabled"), well.out());
    }

    @Test
    void doctor_onTheBrokenBoard_namesEachKindOfFailure(@TempDir Path dir) throws IOException {
        Path root = FakeBoard.copy(dir);
        Path lib = root.resolve("lib/firmware");
        stage(WPSS, "wpss", lib);
        stage(IPQ8074, "q6_fw", lib);
        stage(IPQ8074, "m3_fw", lib);
        stageFile(VENUS + "/venus.mbn", lib);
        stageFile("qcom/apq8096/mba.mbn", lib);

        CliRun run = CliRun.of("doctor", "--root", root, "--dtb", BROKEN_DTB);
        assertEquals(1, run.exit(), run.err());
        // each kind of failure broken.dts introduces, on the processor it introduces it on
        assertEquals(Map.of(
                        "remoteproc@2080000", Set.of("carveout-address-mismatch"),
                        "remoteproc@3700000", Set.of("firmware-missing"),
                        "remoteproc@4ab000", Set.of("carveouts-overlap"),
                        "remoteproc@cd00000", Set.of("carveouts-overlap"),
                        "remoteproc@6800000", Set.of("firmware-missing", "companion-missing"),
                        "video-codec@aa00000", Set.of("carveout-too-small")),
                errorsByProcessor(run), run.err());
        assertTrue(run.err().contains("video-codec@aa00000: qcom/venus-5.2/venus.mbn needs 0x500000 bytes from 0x8b200000, "
                + "carveout venus@8b200000 [0x8b200000, 0x8b600000) has 0x400000 [carveout-too-small]"), run.err());
        assertTrue(run.err().contains("remoteproc@2080000: qcom/apq8096/mba.mbn is fixed at 0x81000000, outside carveout "
                + "mba@8a000000 [0x8a000000, 0x8a100000) [carveout-address-mismatch]"), run.err());
        assertTrue(run.out().contains("remoteproc@8a00000 (qcom,sc7280-wpss-pas): would start"), run.out());
    }

    @Test
    void doctor_json_listsEachProcessorWithItsImagesRootAndFindings(@TempDir Path dir) throws IOException {
        Path root = FakeBoard.copy(dir);
        Path lib = root.resolve("lib/firmware");
        stage(WPSS, "wpss", lib);
        stageFile(VENUS + "/venus.mbn", lib);

        CliRun run = CliRun.of("doctor", "--root", root, "--dtb", BROKEN_DTB, "--json");
        assertEquals(1, run.exit(), run.err());
        JsonNode report = CliRun.result(run.out());
        assertFalse(report.get("healthy").asBoolean());
        Map<String, JsonNode> byName = new TreeMap<>();
        report.get("processors").forEach(p -> byName.put(p.get("name").asText(), p));
        JsonNode wpss = byName.get("remoteproc@8a00000");
        assertTrue(wpss.get("healthy").asBoolean());
        assertEquals(0, wpss.get("findings").size());
        JsonNode image = wpss.get("images").get(0);
        assertEquals(lib.resolve(WPSS + "/wpss.mdt").toString(), image.get("path").asText());
        assertEquals("verified", image.get("signature").asText());
        // the corpus's table of roots (docs/signatures.md) says the WCN6750 images chain to SecTools' P-384 test root
        assertEquals("test", image.get("root").get("kind").asText());
        assertTrue(image.get("root").get("label").asText().contains("P-384"), image.toString());
        JsonNode adsp2 = byName.get("remoteproc@6800000");
        assertEquals(List.of("firmware", "dtb companion"),
                List.of(adsp2.get("images").get(0).get("role").asText(), adsp2.get("images").get(1).get("role").asText()));
        assertFalse(adsp2.get("images").get(1).has("path"));
        Set<String> rules = new TreeSet<>();
        adsp2.get("findings").forEach(f -> rules.add(f.get("rule").asText() + "/" + f.get("severity").asText()));
        assertEquals(Set.of("firmware-missing/error", "companion-missing/error"), rules);
    }

    /**
     * Issue 16: the board's kernel decides. A single-file image that kernels before 6.5 take for a
     * split one (firmware-samples' README says which) fails on a 6.1 board and starts on a 6.12 one.
     */
    @Test
    void doctor_judgesByTheBoardsKernel_orTheOneGiven(@TempDir Path dir) throws IOException {
        Path root = FakeBoard.copy(dir);
        write(root.resolve("sys/firmware/devicetree/base/soc@0/remoteproc@4ab000/firmware-name"), "m3.mbn\0");
        Files.copy(FakeBoard.SAMPLES.resolve("valid/v5-elf32-fixed-squashed.mbn"),
                Files.createDirectories(root.resolve("lib/firmware")).resolve("m3.mbn"));
        write(root.resolve("proc/sys/kernel/osrelease"), "6.1.192-arm64\n");

        assertEquals(Set.of("taken-as-split"), errorsByProcessor(CliRun.of("doctor", "--root", root)).get("remoteproc@4ab000"));
        assertEquals(null, errorsByProcessor(CliRun.of("doctor", "--root", root, "--kernel", "6.12")).get("remoteproc@4ab000"));
        assertEquals(Set.of("taken-as-split"),
                errorsByProcessor(CliRun.of("doctor", "--root", root, "--kernel", "6.1.192")).get("remoteproc@4ab000"));
    }

    @Test
    void doctor_firmwarePath_replacesTheBoardsSearchPath(@TempDir Path dir) throws IOException {
        Path firmware = dir.resolve("firmware");
        stage(WPSS, "wpss", firmware);
        CliRun run = CliRun.of("doctor", "--dtb", FakeBoard.DTB, "--firmware-path", firmware, "--kernel", "6.12");
        assertEquals(1, run.exit(), run.err());
        assertEquals(null, errorsByProcessor(run).get("remoteproc@8a00000"), run.err());
        assertEquals(Set.of("firmware-missing"), errorsByProcessor(run).get("video-codec@aa00000"), run.err());
        assertTrue(run.err().contains("venus.mbn is in none of [" + firmware + "]"), run.err());
    }

    /**
     * The corpus as the search path: it holds the x1e80100 ADSP image and its DTB companion, and the
     * qcm6490 ADSP image, so only the broken board's carveout faults are left.
     */
    @Test
    @Tag("corpus")
    void doctor_withTheCorpusAsSearchPath_findsTheDtbCompanion_andLeavesOnlyTheCarveoutFaults() throws IOException {
        CliRun run = CliRun.of("doctor", "--dtb", BROKEN_DTB, "--firmware-path", Corpus.root(), "--kernel", "6.12", "--json");
        assertEquals(1, run.exit(), run.err());
        assertEquals(Map.of(
                        "remoteproc@2080000", Set.of("carveout-address-mismatch"),
                        "remoteproc@4ab000", Set.of("carveouts-overlap"),
                        "remoteproc@cd00000", Set.of("carveouts-overlap"),
                        "video-codec@aa00000", Set.of("carveout-too-small")),
                errorsByProcessor(run), run.err());
        JsonNode adsp2 = null;
        for (JsonNode p : CliRun.result(run.out()).get("processors")) {
            adsp2 = p.get("name").asText().equals("remoteproc@6800000") ? p : adsp2;
        }
        assertTrue(adsp2 != null && adsp2.get("healthy").asBoolean(), run.out());
        JsonNode companion = adsp2.get("images").get(1);
        assertEquals("dtb companion", companion.get("role").asText());
        assertEquals(Corpus.root().resolve("qcom/x1e80100/adsp_dtb.mbn").toString(), companion.get("path").asText());
        assertTrue(companion.get("valid").asBoolean());
    }

    @Test
    void doctor_withKernelAll_isAUsageError() {
        CliRun run = CliRun.of("doctor", "--dtb", FakeBoard.DTB, "--kernel", "all");
        assertEquals(2, run.exit());
        run.assertNoStackTrace();
    }

    private static Map<String, Set<String>> errorsByProcessor(CliRun run) {
        Map<String, Set<String>> errors = new TreeMap<>();
        for (String line : run.errLines()) {
            if (line.startsWith(CliRun.WARNING)) {
                continue;
            }
            Matcher m = ERROR_LINE.matcher(line);
            assertTrue(m.matches(), line);
            errors.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
        }
        return errors;
    }

    /** A split image (its .mdt and every .bNN) copied from ../shared/firmware to the same name under {@code dir}. */
    private static void stage(String subdir, String stem, Path dir) throws IOException {
        Path to = Files.createDirectories(dir.resolve(subdir));
        try (var files = Files.list(FakeBoard.FIRMWARE.resolve(subdir))) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches(Pattern.quote(stem) + "\\.(mdt|b\\d\\d)")).toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()));
            }
        }
    }

    private static Path stageFile(String name, Path dir) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to.getParent());
        Files.copy(FakeBoard.FIRMWARE.resolve(name), to);
        return to;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
