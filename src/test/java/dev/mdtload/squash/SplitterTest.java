package dev.mdtload.squash;

import dev.mdtload.cli.CliRun;
import dev.mdtload.testing.PlainElf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    static final Path FIRMWARE = SquasherTest.FIRMWARE;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"qcom/venus-5.2/venus.mbn", "qcom/apq8096/mba.mbn", "qcom/sm8250/a650_zap.mbn"})
    void splitThenSquash_reproducesEveryRealMbnByteForByte(String image) throws IOException {
        Path mbn = FIRMWARE.resolve(image);
        Path dir = tmp.resolve("split");

        CliRun split = CliRun.of("split", mbn, "-o", dir);
        assertEquals(0, split.exitCode(), split::toString);
        String base = mbn.getFileName().toString().replace(".mbn", "");
        Path out = tmp.resolve("again.mbn");
        CliRun squash = CliRun.of("squash", dir.resolve(base + ".mdt"), "-o", out);

        assertEquals(0, squash.exitCode(), squash::toString);
        assertArrayEquals(Files.readAllBytes(mbn), Files.readAllBytes(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"qcom/venus-5.2/venus.mbn", "qcom/apq8096/mba.mbn", "qcom/sm8250/a650_zap.mbn"})
    void split_writesHeadersAndHashSegmentAsMdtAndEachSegmentAsAPart(String image) throws IOException {
        Path mbn = FIRMWARE.resolve(image);
        byte[] bytes = Files.readAllBytes(mbn);
        PlainElf elf = PlainElf.parse(bytes);
        String base = mbn.getFileName().toString().replace(".mbn", "");

        assertEquals(0, CliRun.of("split", mbn, "-o", tmp).exitCode());

        PlainElf.Phdr hash = elf.hashPhdr();
        byte[] headers = Arrays.copyOf(bytes, (int) elf.phdrs().getFirst().filesz());
        byte[] expectedMdt = concat(headers, Arrays.copyOfRange(bytes, (int) hash.offset(), (int) hash.end()));
        assertArrayEquals(expectedMdt, Files.readAllBytes(tmp.resolve(base + ".mdt")));
        List<String> expectedNames = new ArrayList<>(List.of(base + ".mdt"));
        for (PlainElf.Phdr p : elf.phdrs()) {
            Path part = tmp.resolve(String.format("%s.b%02d", base, p.index()));
            expectedNames.add(part.getFileName().toString());
            assertArrayEquals(Arrays.copyOfRange(bytes, (int) p.offset(), (int) p.end()), Files.readAllBytes(part));
        }
        assertEquals(expectedNames.stream().sorted().toList(), SquasherTest.listing(tmp));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ath11k/WCN6750/hw1.0/wpss.mdt", "ath11k/IPQ8074/hw2.0/q6_fw.mdt"})
    void split_ofARealSplitSetReproducesItsFilesAndWritesNoPartForAnEmptySegment(String image) throws IOException {
        Path mdt = FIRMWARE.resolve(image);
        PlainElf elf = PlainElf.parse(Files.readAllBytes(mdt));
        String base = mdt.getFileName().toString().replace(".mdt", "");

        assertEquals(0, CliRun.of("split", mdt, "-o", tmp).exitCode());

        assertArrayEquals(Files.readAllBytes(mdt), Files.readAllBytes(tmp.resolve(base + ".mdt")));
        List<String> expectedNames = new ArrayList<>(List.of(base + ".mdt"));
        for (PlainElf.Phdr p : elf.phdrs()) {
            String part = String.format("%s.b%02d", base, p.index());
            if (p.filesz() > 0) {
                expectedNames.add(part);
                assertArrayEquals(Files.readAllBytes(mdt.resolveSibling(part)), Files.readAllBytes(tmp.resolve(part)), part);
            }
        }
        assertEquals(expectedNames.stream().sorted().toList(), SquasherTest.listing(tmp));
    }

    @Test
    void split_warnsAboutNonZeroBytesOutsideEverySegment() throws IOException {
        Path mbn = tmp.resolve("a650_zap.mbn");
        byte[] real = Files.readAllBytes(FIRMWARE.resolve("qcom/sm8250/a650_zap.mbn"));
        Files.write(mbn, concat(real, new byte[] {0, 7, 7}));

        CliRun run = CliRun.of("split", mbn, "-o", tmp.resolve("out"));

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("warning: 2 non-zero bytes lie outside every header and segment"), run::toString);
    }

    @Test
    void split_refusesExistingOutputsUnlessForcedAndWritesNothing() throws IOException {
        Path mbn = FIRMWARE.resolve("qcom/sm8250/a650_zap.mbn");
        Files.writeString(tmp.resolve("a650_zap.b02"), "keep me");

        CliRun refused = CliRun.of("split", mbn, "-o", tmp);

        assertEquals(2, refused.exitCode(), refused::toString);
        assertEquals(List.of("a650_zap.b02"), SquasherTest.listing(tmp));
        assertEquals("keep me", Files.readString(tmp.resolve("a650_zap.b02")));
        assertEquals(0, CliRun.of("split", mbn, "-o", tmp, "--force").exitCode());
        assertEquals(4, SquasherTest.listing(tmp).size());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
