package dev.mdtload.cli;

import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13: {@code -} is stdout where a file is written, and no output may overwrite an input. */
class OutputTest {
    @TempDir
    Path dir;

    /** Binary output goes to the process's stdout itself, as it would in a pipe: captured here. */
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureStdout() {
        original = System.out;
        System.setOut(new PrintStream(stdout, true));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(original);
    }

    @Test
    void squash_toDash_writesTheSameBytesToStdoutAsToAFile_andReportsOnStderr() throws Exception {
        Path file = dir.resolve("wpss.mbn");
        assertEquals(0, CliRun.of("squash", RealImage.WPSS.path(), "-o", file).exit());

        CliRun r = CliRun.of("squash", RealImage.WPSS.path(), "-o", "-");

        assertEquals(0, r.exit(), r::toString);
        assertArrayEquals(Files.readAllBytes(file), stdout.toByteArray());
        assertEquals("", r.out(), "the report moved to stderr");
        assertEquals(List.of("wrote -"), r.errLines());
        assertTrue(Files.notExists(dir.resolve("-")), "no file named -");
    }

    @Test
    void squash_toDash_ofAnInvalidImage_writesNothingToStdout() throws Exception {
        Path broken = RealImage.WPSS.copyTo(dir);
        Files.delete(broken.resolveSibling("wpss.b04"));

        CliRun r = CliRun.of("squash", broken, "-o", "-");

        assertEquals(ExitCode.INVALID, r.exit(), r::toString);
        assertEquals(0, stdout.size());
    }

    @Test
    void mapSvg_toDash_writesTheDrawingToStdout_andTheTableToStderr() {
        CliRun r = CliRun.of("map", RealImage.VENUS.path(), "--phys", "0x8b200000", "--size", "0x500000", "--svg", "-");

        assertEquals(0, r.exit(), r::toString);
        String svg = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(svg.startsWith("<svg ") && svg.endsWith("</svg>\n"), svg);
        assertEquals("", r.out());
        assertTrue(r.err().contains("relocatable: placed at the carveout base"), r.err());
    }

    @Test
    void split_toDash_isAUsageError() {
        CliRun r = CliRun.of("split", RealImage.VENUS.path(), "-o", "-");
        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
        assertEquals(0, stdout.size());
    }

    @Test
    void squash_refusesToOverwriteItsOwnInput_byNameSymlinkOrHardLink() throws Exception {
        Path image = RealImage.WPSS.copyTo(dir);
        Path part = image.resolveSibling("wpss.b04");
        Path symlink = Files.createSymbolicLink(dir.resolve("link.mbn"), image);
        Path hardLink = Files.createLink(dir.resolve("hard.mbn"), part);
        String before = digests(image, part);

        for (Path output : List.of(image, symlink, hardLink)) {
            CliRun r = CliRun.of("squash", image, "-o", output, "--force");
            assertEquals(ExitCode.USAGE, r.exit(), r::toString);
            assertTrue(r.err().startsWith("mdtload: " + output + " is the input "), r.err());
        }
        assertEquals(before, digests(image, part), "the inputs are untouched");
    }

    @Test
    void split_refusesToOverwriteTheImageItSplits() throws Exception {
        Path image = RealImage.WPSS.copyTo(dir);
        String before = digests(image);

        CliRun r = CliRun.of("split", image, "-o", dir, "--force");

        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
        assertEquals(before, digests(image));
    }

    @Test
    void sign_refusesToWriteOverItsElf() throws Exception {
        Path elf = Files.copy(RealImage.A650_ZAP.path(), dir.resolve("fw.elf"));
        String before = digests(elf);

        CliRun r = CliRun.of("sign", elf, "--mbn-version", "6", "--sw-id", "0xd", "-o", elf, "--force");

        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
        assertEquals(before, digests(elf));
    }

    @Test
    void loadRecord_toDash_isStdout_andOverItsImage_isRefused() throws Exception {
        Path image = RealImage.VENUS.copyTo(dir);
        String before = digests(image);
        List<String> load = List.of("load", image.toString(), "--carveout", "memfd", "--phys", "0x8b200000", "--size",
                "0x500000", "--pas-id", "9", "--scm", "record", "--record");

        CliRun dash = CliRun.of(Stream.concat(load.stream(), Stream.of("-")).toArray());
        CliRun over = CliRun.of(Stream.concat(load.stream(), Stream.of(image.toString())).toArray());

        assertEquals(0, dash.exit(), dash::toString);
        assertTrue(dash.outLines().size() > 1 && dash.outLines().stream().allMatch(l -> l.startsWith("{")), dash.out());
        assertTrue(Files.notExists(dir.resolve("-")));
        assertEquals(ExitCode.USAGE, over.exit(), over::toString);
        assertEquals(before, digests(image));
    }

    @Test
    void provisionReport_overItsManifestOrAnImage_orToDash_isRefused() throws Exception {
        Path image = RealImage.VENUS.copyTo(dir);
        Path manifest = Files.writeString(dir.resolve("board.yaml"), "scm: sim\nprocessors:\n  - {name: venus, image: '"
                + image + "', method: scm, pas_id: 9, carveout: {spec: memfd, phys: 0x8b200000, size: 0x500000}}\n");
        String before = digests(manifest, image);

        for (Path output : List.of(manifest, image)) {
            CliRun r = CliRun.of("provision", manifest, "--report", output, "--root", dir);
            assertEquals(ExitCode.USAGE, r.exit(), r::toString);
            assertTrue(r.err().startsWith("mdtload: " + output + " is the input "), r.err());
        }
        CliRun dash = CliRun.of("provision", manifest, "--report", "-", "--root", dir);
        assertEquals(ExitCode.USAGE, dash.exit(), dash::toString);
        assertTrue(dash.err().contains("use --json"), dash.err());
        assertEquals(before, digests(manifest, image));
        assertTrue(Files.notExists(dir.resolve("-")));
    }

    private static String digests(Path... files) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        StringBuilder b = new StringBuilder();
        for (Path f : Stream.of(files).toList()) {
            b.append(HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f)))).append('\n');
        }
        return b.toString();
    }
}
