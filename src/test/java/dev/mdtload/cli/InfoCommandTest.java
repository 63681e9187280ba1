package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void info_printsTheSegmentTableAndSummary(RealImage image) throws Exception {
        CliRun r = CliRun.of("info", image.path());
        r.assertValid();
        String out = r.out();
        assertTrue(out.contains("MBN v" + image.mbnVersion + ", " + image.digestAlgorithm), out);
        assertTrue(out.contains(String.valueOf(image.loadSize)), out);
        assertTrue(out.contains(String.format("0x%x", image.minAddress)), out);
        assertTrue(out.contains(image.relocatable ? "(relocatable)" : "(fixed)"), out);
        assertTrue(out.contains(image.split() ? "split" : "single file"), out);
        if (image.signatureSize > 0) {
            assertTrue(out.contains(image.signatureSize + " bytes, cert chain " + image.certChainSize + " bytes"), out);
        }
        List<String> header = r.outLines().stream().filter(l -> l.strip().startsWith("#")).toList();
        assertEquals(1, header.size(), out);
        for (String column : new String[] {"type", "qcom", "flags", "offset", "paddr", "filesz", "memsz", "source", "digest"}) {
            assertTrue(header.getFirst().contains(column), header::getFirst);
        }
        for (RawElf.Phdr p : image.raw().phdrs()) {
            // one row per program header: index first, then its values as printed
            String row = r.outLines().stream().filter(l -> l.strip().startsWith(p.index() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for segment " + p.index() + " in\n" + out));
            List<String> cells = List.of(row.strip().split("\\s+"));
            assertTrue(cells.contains(String.format("0x%x", p.paddr())), row);
            assertTrue(cells.contains(String.format("0x%x", p.offset())), row);
            assertTrue(cells.contains(String.valueOf(p.filesz())), row);
            assertTrue(cells.contains(String.valueOf(p.memsz())), row);
            String source = p.filesz() == 0 ? "-"
                    : image.split() && p.index() >= 2 ? image.part(p.index()).getFileName().toString() : image.fileName();
            assertTrue(cells.contains(source), row);
            assertEquals(p.isHash() || p.filesz() == 0 ? "zero" : "ok", cells.getLast(), row);
        }
        assertTrue(out.contains("verdict: VALID"), out);
    }

    @Test
    void infoJson_writesOneObjectOnOneLine() throws Exception {
        CliRun r = CliRun.of("info", "--json", RealImage.WPSS.path());
        r.assertValid();
        assertEquals(1, r.outLines().size());
        JsonNode o = CliRun.result(r.outLines().getFirst());
        ValidateCommandTest.assertReportMatchesReadme(RealImage.WPSS, o);
    }

    @Test
    void info_followsTheVenusSymlink(@TempDir Path dir) throws Exception {
        Path mbn = RealImage.VENUS.copyTo(dir);
        CliRun r = CliRun.of("info", Files.createSymbolicLink(dir.resolve("venus.mdt"), mbn.getFileName()));
        r.assertValid();
        assertTrue(r.out().contains("MBN v3, SHA-256"), r.out());
    }

    @Test
    void info_readsATextFileNamingAnotherImageAsAnImageAndRefusesIt(@TempDir Path dir) throws Exception {
        // the kernel follows no text file: given this 9-byte venus.mdt it fails with -EINVAL
        RealImage.VENUS.copyTo(dir);
        Path text = Files.writeString(dir.resolve("venus.mdt"), "venus.mbn");
        CliRun r = CliRun.of("info", text);
        assertEquals(ExitCode.INVALID, r.exit());
        assertEquals(List.of("mdtload: " + text + ": file is 9 bytes, shorter than an ELF identification [file-too-short]"),
                r.errLines());
    }

    @Test
    void info_exitsOneAndNamesTheRuleForAnInvalidImage(@TempDir Path dir) throws Exception {
        Path mdt = RealImage.M3_FW.copyTo(dir);
        Files.write(dir.resolve("m3_fw.b02"), new byte[3]);
        CliRun r = CliRun.of("info", mdt);
        assertEquals(ExitCode.INVALID, r.exit());
        r.assertNoStackTrace();
        assertEquals(List.of("mdtload: " + mdt + ": segment 2: m3_fw.b02 is 3 bytes, p_filesz is 327680 [part-size-mismatch]"),
                r.errLines());
        assertTrue(r.out().contains("verdict: INVALID (1 errors)"), r.out());
    }
}
