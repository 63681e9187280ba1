package dev.mdtload.squash;

import dev.mdtload.cli.CliRun;
import dev.mdtload.testing.PlainElf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

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
    static final Path FIRMWARE = Path.of(System.getProperty("mdtload.shared", "../shared"), "firmware");

    @TempDir
    Path tmp;

    /** Copies a real split set (BASE.mdt and every BASE.bNN) into a fresh directory and returns the copy's .mdt. */
    static Path copySet(Path mdt, Path into) throws IOException {
        String base = mdt.getFileName().toString().replaceFirst("\\.mdt$", "");
        Files.createDirectories(into);
        try (Stream<Path> files = Files.list(mdt.getParent())) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches(base + "\\.(mdt|b\\d\\d)")).toList()) {
                Files.copy(f, into.resolve(f.getFileName()));
            }
        }
        return into.resolve(mdt.getFileName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ath11k/IPQ8074/hw2.0/m3_fw.mdt", "ath11k/IPQ8074/hw2.0/q6_fw.mdt",
            "ath11k/WCN6750/hw1.0/wpss.mdt"})
    void squash_putsEverySegmentOfARealSplitImageAtItsOffset(String image) throws IOException {
        Path real = FIRMWARE.resolve(image);
        Path mdt = copySet(real, tmp.resolve("in"));
        Path out = tmp.resolve("out.mbn");

        CliRun run = CliRun.of("squash", mdt, "-o", out);

        assertEquals(0, run.exitCode(), run::toString);
        byte[] squashed = Files.readAllBytes(out);
        byte[] header = Files.readAllBytes(real);
        PlainElf elf = PlainElf.parse(header);
        // pil-squasher writes nothing for a segment without file bytes (wpss segment 8 has its
        // p_offset past the last byte written), so such a segment does not extend the file
        long end = elf.phdrs().stream().filter(p -> p.filesz() > 0).mapToLong(PlainElf.Phdr::end).max().orElseThrow();
        assertEquals(Math.max(end, elf.headersEnd()), squashed.length, "file ends at the last segment byte");
        assertArrayEquals(Arrays.copyOf(header, (int) elf.headersEnd()), Arrays.copyOf(squashed, (int) elf.headersEnd()),
                "ELF and program headers copied unchanged");
        boolean[] covered = new boolean[squashed.length];
        Arrays.fill(covered, 0, (int) elf.headersEnd(), true);
        for (PlainElf.Phdr p : elf.phdrs()) {
            if (p.filesz() == 0) {
                continue;
            }
            byte[] expected = Files.readAllBytes(real.resolveSibling(
                    real.getFileName().toString().replace(".mdt", String.format(".b%02d", p.index()))));
            assertArrayEquals(expected, Arrays.copyOfRange(squashed, (int) p.offset(), (int) p.end()),
                    "segment " + p.index() + " at p_offset " + p.offset());
            Arrays.fill(covered, (int) p.offset(), (int) p.end(), true);
        }
        for (int i = 0; i < squashed.length; i++) {
            if (!covered[i]) {
                assertEquals(0, squashed[i], "gap byte at " + i + " is zero");
            }
        }
        // the hash segment in the .mdt sits right after the headers; the squashed copy must agree with it
        PlainElf.Phdr hash = elf.hashPhdr();
        byte[] hashSegment = Arrays.copyOfRange(squashed, (int) hash.offset(), (int) hash.end());
        assertArrayEquals(Arrays.copyOfRange(header, (int) elf.headersEnd(), (int) (elf.headersEnd() + hash.filesz())),
                hashSegment);
        List<byte[]> table = PlainElf.digestTable(hashSegment, elf.phdrs().size());
        for (PlainElf.Phdr p : elf.phdrs()) {
            byte[] entry = table.get(p.index());
            if (p.isHash() || p.filesz() == 0) {
                assertArrayEquals(new byte[entry.length], entry, "entry " + p.index() + " is zero");
            } else {
                assertArrayEquals(PlainElf.digest(entry.length, Arrays.copyOfRange(squashed, (int) p.offset(), (int) p.end())),
                        entry, "digest of segment " + p.index());
            }
        }
        assertEquals(0, CliRun.of("validate", out).exitCode(), "the squashed image validates");
    }

    @Test
    void squash_refusesMissingPartWithRuleIdAndWritesNothing() throws IOException {
        Path mdt = copySet(FIRMWARE.resolve("ath11k/IPQ8074/hw2.0/m3_fw.mdt"), tmp.resolve("in"));
        Files.delete(mdt.resolveSibling("m3_fw.b02"));
        Path out = tmp.resolve("out").resolve("m3_fw.mbn");
        Files.createDirectories(out.getParent());

        CliRun run = CliRun.of("squash", mdt, "-o", out);

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("segment 2: m3_fw.b02 is missing [part-missing]"), run::toString);
        assertEquals(List.of(), listing(out.getParent()), "nothing written, no temporary left");
    }

    @Test
    void squash_refusesPartShorterThanFilesz() throws IOException {
        Path mdt = copySet(FIRMWARE.resolve("ath11k/IPQ8074/hw2.0/m3_fw.mdt"), tmp.resolve("in"));
        Path part = mdt.resolveSibling("m3_fw.b02");
        byte[] bytes = Files.readAllBytes(part);
        Files.write(part, Arrays.copyOf(bytes, bytes.length - 1));
        Path out = tmp.resolve("out.mbn");

        CliRun run = CliRun.of("squash", mdt, "-o", out);

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("m3_fw.b02 is 327679 bytes, p_filesz is 327680 [part-size-mismatch]"), run::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void squash_refusesPartWhoseBytesDoNotMatchTheirDigest() throws IOException {
        Path mdt = copySet(FIRMWARE.resolve("ath11k/IPQ8074/hw2.0/m3_fw.mdt"), tmp.resolve("in"));
        Path part = mdt.resolveSibling("m3_fw.b02");
        byte[] bytes = Files.readAllBytes(part);
        bytes[1000] ^= 1;
        Files.write(part, bytes);
        Path out = tmp.resolve("out.mbn");

        CliRun run = CliRun.of("squash", mdt, "-o", out);

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("segment 2:") && run.err().contains("[digest-mismatch]"), run::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void squash_refusesExistingOutputUnlessForced() throws IOException {
        Path mdt = copySet(FIRMWARE.resolve("ath11k/IPQ8074/hw2.0/m3_fw.mdt"), tmp.resolve("in"));
        Path out = tmp.resolve("out.mbn");
        Files.writeString(out, "keep me");

        CliRun refused = CliRun.of("squash", mdt, "-o", out);

        assertEquals(2, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains(out + ": already exists (use --force to replace it)"), refused::toString);
        assertEquals("keep me", Files.readString(out));

        CliRun forced = CliRun.of("squash", mdt, "-o", out, "--force");

        assertEquals(0, forced.exitCode(), forced::toString);
        assertEquals(0, CliRun.of("validate", out).exitCode());
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
