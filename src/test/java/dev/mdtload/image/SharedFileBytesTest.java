package dev.mdtload.image;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.check.Rule;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.fuzz.HeaderField;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A signed image whose program headers name the same file bytes more than once would make the
 * digest check hash them once per header: 65535 headers over a few megabytes is hours of SHA.
 * mdtload refuses the repeats and never hashes them (docs/limits.md).
 */
class SharedFileBytesTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

    private ImageReport validate(byte[] bytes, boolean allowUnsigned) throws IOException {
        Path file = fs.getPath("/fw/shared.mbn");
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return new Validator(allowUnsigned).validate(file);
    }

    @Test
    void validate_refusesSegmentsThatRepeatAnotherSegmentsFileBytesAndDoesNotHashThem() throws IOException {
        List<LoadSegment> segments = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long address = 0x4b00_0000L + i * 0x1000L;
            byte[] data = new byte[256];
            Arrays.fill(data, (byte) i);
            segments.add(new LoadSegment(address, address, 5, data, 0x1000));
        }
        Assembled a = ImageAssembler.builder().elfClass(ElfClass.ELF32).machine(ElfWriter.EM_QDSP6).mbnVersion(6)
                .hashAddress(0x4c00_0000L).segments(segments).build().assemble();
        byte[] bytes = a.squashed();
        ProgramHeader first = a.programHeaders().get(2);
        for (int i = 3; i < 6; i++) {
            HeaderField.P_OFFSET.set(bytes, ElfClass.ELF32, i, first.p_offset() + 16);
        }

        ImageReport report = validate(bytes, false);
        for (int i = 3; i < 6; i++) {
            int segment = i;
            assertTrue(report.errors().stream().anyMatch(v -> v.rule() == Rule.FILE_BYTES_OVERLAP && v.segment() == segment),
                    () -> "segment " + segment + ": " + report.errors());
            assertEquals(DigestStatus.MISSING, report.segments().get(i).digest(), "segment " + i + " must not be hashed");
        }
        assertTrue(report.errors().stream().noneMatch(v -> v.rule() == Rule.FILE_BYTES_OVERLAP && v.segment() == 2));
    }

    @Test
    void validate_letsAPlainElfLoadSegmentCoverItsOwnHeaders() throws IOException {
        // a toolchain ELF: PT_LOAD from offset 0 (headers included) and a PT_NOTE inside it; no digests, no repeats to hash
        long size = 0x200;
        byte[] headers = ElfWriter.headers(ElfClass.ELF32, ElfWriter.EM_ARM, 0x1000, List.of(
                new ProgramHeader(0, ProgramHeader.PT_LOAD, 5, 0, 0x1000, 0x1000, size, size, 0x1000),
                new ProgramHeader(1, 4, 4, 0x100, 0, 0, 0x20, 0x20, 4)));
        ImageReport report = validate(Arrays.copyOf(headers, (int) size), true);
        assertEquals(List.of(), report.errors());
    }
}
