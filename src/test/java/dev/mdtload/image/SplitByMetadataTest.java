package dev.mdtload.image;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.check.Rule;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.elf.ProgramHeader;
import org.junit.jupiter.api.Test;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The kernel calls an image split when any segment with file bytes reaches past the end of the
 * file, the headers segment included, and then reads every loaded segment from its .bNN part.
 * Found by ImageFuzzTest (regression input crash-67ad7d3b…): with no part beside it, such an image
 * was read from its own file and called valid, though the kernel would not find its parts.
 */
class SplitByMetadataTest {
    @Test
    void validate_asksForThePartsOfAnImageSplitOnlyByItsHeadersSegment() throws Exception {
        long headers = ElfWriter.headersSize(ElfClass.ELF32, 2);
        long code = 0x100;
        byte[] image = Arrays.copyOf(ElfWriter.headers(ElfClass.ELF32, ElfWriter.EM_ARM, 0x1000, List.of(
                // segment 0 (the headers) claims an offset far past the end: that alone makes the image split
                new ProgramHeader(0, ProgramHeader.PT_NULL, 7L << 24, 0x10_0000, 0, 0, headers, 0, 0),
                new ProgramHeader(1, ProgramHeader.PT_LOAD, 5, code, 0x1000, 0x1000, 0x40, 0x1000, 0x1000))),
                (int) (code + 0x40));
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        Path file = fs.getPath("/fw/split.mdt");
        Files.createDirectories(file.getParent());
        Files.write(file, image);

        ImageReport report = new Validator(true).validate(file);
        assertFalse(report.valid());
        assertEquals(List.of(Rule.PART_MISSING), report.errors().stream().map(v -> v.rule()).toList());
        assertEquals(1, report.errors().getFirst().segment());
    }
}
