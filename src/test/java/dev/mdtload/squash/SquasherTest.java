package dev.mdtload.squash;

import dev.mdtload.cli.CliRun;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SquasherTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"M3_FW", "Q6_FW", "WPSS"})
    void squash_putsEverySegmentOfARealSplitImageAtItsOffset(RealImage image) throws IOException {
        Path mdt = image.copyTo(tmp.resolve("in"));
        Path out = tmp.resolve("out.mbn");

        CliRun run = CliRun.of("squash", mdt, "-o", out);

        assertEquals(0, run.exit(), run::toString);
        byte[] squashed = Files.readAllBytes(out);
        RawElf elf = image.raw();
        // pil-squasher writes nothing for a segment without file bytes (wpss segment 8 has its
        // p_offset past the last byte written), so such a segment does not extend the file
        long end = elf.phdrs().stream().filter(p -> p.filesz() > 0).mapToLong(RawElf.Phdr::end).max().orElseThrow();
        assertEquals(Math.max(end, elf.headersEnd()), squashed.length, "file ends at the last segment byte");
        assertArrayEquals(Arrays.copyOf(elf.bytes(), elf.headersEnd()), Arrays.copyOf(squashed, elf.headersEnd()),
                "ELF and program headers copied unchanged");
        boolean[] covered = new boolean[squashed.length];
        Arrays.fill(covered, 0, elf.headersEnd(), true);
        for (RawElf.Phdr p : elf.phdrs()) {
            if (p.filesz() > 0) {
                assertArrayEquals(Files.readAllBytes(image.part(p.index())),
                        Arrays.copyOfRange(squashed, (int) p.offset(), (int) p.end()), "segment " + p.index() + " at p_offset");
                Arrays.fill(covered, (int) p.offset(), (int) p.end(), true);
            }
        }
        for (int i = 0; i < squashed.length; i++) {
            if (!covered[i]) {
                assertEquals(0, squashed[i], "gap byte at " + i + " is zero");
            }
        }
        // the .mdt keeps the hash segment right after the headers; the squashed copy must agree with it
        RawElf.Phdr hash = elf.hashPhdr();
        byte[] hashSegment = Arrays.copyOfRange(squashed, (int) hash.offset(), (int) hash.end());
        assertArrayEquals(elf.hashSegment(), hashSegment);
        List<byte[]> table = RawElf.digestTable(hashSegment);
        for (RawElf.Phdr p : elf.phdrs()) {
            byte[] entry = table.get(p.index());
            if (p.isHash() || p.filesz() == 0) {
                assertArrayEquals(new byte[entry.length], entry, "entry " + p.index() + " is zero");
            } else {
                assertArrayEquals(RawElf.digest(image.digestAlgorithm, Arrays.copyOfRange(squashed, (int) p.offset(), (int) p.end())),
                        entry, "digest of segment " + p.index());
            }
        }
        assertEquals(0, CliRun.of("validate", out).exit(), "the squashed image validates");
    }

    @Test
    void squash_refusesMissingPartWithRuleIdAndWritesNothing() throws IOException {
        Path mdt = RealImage.M3_FW.copyTo(tmp.resolve("in"));
        Files.delete(mdt.resolveSibling("m3_fw.b02"));
        Path out = tmp.resolve("out").resolve("m3_fw.mbn");
        Files.createDirectories(out.getParent());

        CliRun run = CliRun.of("squash", mdt, "-o", out);

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("segment 2: m3_fw.b02 is missing [part-missing]"), run::toString);
        assertEquals(List.of(), listing(out.getParent()), "nothing written, no temporary left");
    }

    @Test
    void squash_refusesPartShorterThanFilesz() throws IOException {
        Path mdt = RealImage.M3_FW.copyTo(tmp.resolve("in"));
        Path part = mdt.resolveSibling("m3_fw.b02");
        byte[] bytes = Files.readAllBytes(part);
        Files.write(part, Arrays.copyOf(bytes, bytes.length - 1));
        Path out = tmp.resolve("out.mbn");

        CliRun run = CliRun.of("squash", mdt, "-o", out);

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("m3_fw.b02 is 327679 bytes, p_filesz is 327680 [part-size-mismatch]"), run::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void squash_refusesPartWhoseBytesDoNotMatchTheirDigest() throws IOException {
        Path mdt = RealImage.M3_FW.copyTo(tmp.resolve("in"));
        Path part = mdt.resolveSibling("m3_fw.b02");
        byte[] bytes = Files.readAllBytes(part);
        bytes[1000] ^= 1;
        Files.write(part, bytes);
        Path out = tmp.resolve("out.mbn");

        CliRun run = CliRun.of("squash", mdt, "-o", out);

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("segment 2:") && run.err().contains("[digest-mismatch]"), run::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void squash_refusesExistingOutputUnlessForced() throws IOException {
        Path mdt = RealImage.M3_FW.copyTo(tmp.resolve("in"));
        Path out = tmp.resolve("out.mbn");
        Files.writeString(out, "keep me");

        CliRun refused = CliRun.of("squash", mdt, "-o", out);

        assertEquals(2, refused.exit(), refused::toString);
        assertTrue(refused.err().contains(out + ": already exists (use --force to replace it)"), refused::toString);
        assertEquals("keep me", Files.readString(out));

        CliRun forced = CliRun.of("squash", mdt, "-o", out, "--force");

        assertEquals(0, forced.exit(), forced::toString);
        assertEquals(0, CliRun.of("validate", out).exit());
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
