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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitterTest {
    @TempDir
    Path tmp;

    static String base(RealImage image) {
        return image.fileName().substring(0, image.fileName().length() - 4);
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"VENUS", "MBA", "A650_ZAP"})
    void splitThenSquash_reproducesEveryRealMbnByteForByte(RealImage image) throws IOException {
        Path dir = tmp.resolve("split");

        CliRun split = CliRun.of("split", image.path(), "-o", dir);
        assertEquals(0, split.exit(), split::toString);
        Path out = tmp.resolve("again.mbn");
        CliRun squash = CliRun.of("squash", dir.resolve(base(image) + ".mdt"), "-o", out);

        assertEquals(0, squash.exit(), squash::toString);
        assertArrayEquals(Files.readAllBytes(image.path()), Files.readAllBytes(out));
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"VENUS", "MBA", "A650_ZAP"})
    void split_writesHeadersAndHashSegmentAsMdtAndEachSegmentAsAPart(RealImage image) throws IOException {
        RawElf elf = image.raw();
        byte[] bytes = elf.bytes();

        assertEquals(0, CliRun.of("split", image.path(), "-o", tmp).exit());

        byte[] headers = Arrays.copyOf(bytes, (int) elf.phdrs().getFirst().filesz());
        assertArrayEquals(concat(headers, elf.hashSegment()), Files.readAllBytes(tmp.resolve(base(image) + ".mdt")));
        List<String> expectedNames = new ArrayList<>(List.of(base(image) + ".mdt"));
        for (RawElf.Phdr p : elf.phdrs()) {
            Path part = tmp.resolve(String.format("%s.b%02d", base(image), p.index()));
            expectedNames.add(part.getFileName().toString());
            assertArrayEquals(image.segmentBytes(p.index()), Files.readAllBytes(part));
        }
        assertEquals(expectedNames.stream().sorted().toList(), SquasherTest.listing(tmp));
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"WPSS", "Q6_FW"})
    void split_ofARealSplitSetReproducesItsFilesAndWritesNoPartForAnEmptySegment(RealImage image) throws IOException {
        assertEquals(0, CliRun.of("split", image.path(), "-o", tmp).exit());

        assertArrayEquals(Files.readAllBytes(image.path()), Files.readAllBytes(tmp.resolve(image.fileName())));
        List<String> expectedNames = new ArrayList<>(List.of(image.fileName()));
        for (RawElf.Phdr p : image.raw().phdrs()) {
            if (p.filesz() > 0) {
                Path part = image.part(p.index());
                expectedNames.add(part.getFileName().toString());
                assertArrayEquals(Files.readAllBytes(part), Files.readAllBytes(tmp.resolve(part.getFileName())));
            }
        }
        assertEquals(expectedNames.stream().sorted().toList(), SquasherTest.listing(tmp));
    }

    @Test
    void split_warnsAboutNonZeroBytesOutsideEverySegment() throws IOException {
        Path mbn = tmp.resolve("a650_zap.mbn");
        Files.write(mbn, concat(Files.readAllBytes(RealImage.A650_ZAP.path()), new byte[] {0, 7, 7}));

        CliRun run = CliRun.of("split", mbn, "-o", tmp.resolve("out"));

        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.err().contains("warning: 2 non-zero bytes lie outside every header and segment"), run::toString);
    }

    @Test
    void split_refusesExistingOutputsUnlessForcedAndWritesNothing() throws IOException {
        Files.writeString(tmp.resolve("a650_zap.b02"), "keep me");

        CliRun refused = CliRun.of("split", RealImage.A650_ZAP.path(), "-o", tmp);

        assertEquals(2, refused.exit(), refused::toString);
        assertEquals(List.of("a650_zap.b02"), SquasherTest.listing(tmp));
        assertEquals("keep me", Files.readString(tmp.resolve("a650_zap.b02")));
        assertEquals(0, CliRun.of("split", RealImage.A650_ZAP.path(), "-o", tmp, "--force").exit());
        assertEquals(4, SquasherTest.listing(tmp).size());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
