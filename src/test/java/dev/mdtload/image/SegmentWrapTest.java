package dev.mdtload.image;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.fuzz.HeaderField;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.mbn.PartName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment sums that can wrap (docs/limits.md): p_offset + p_filesz, p_paddr + p_memsz and
 * the carveout placement, in 32 and 64 bits, plus the program-header index that no .bNN name can
 * hold. Each hostile value is written into a valid image and must end as its own rule on that
 * segment.
 */
class SegmentWrapTest {
    private static final int CODE = 2;
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

    /** A valid signed image: headers, hash segment, then one 64-byte code segment (index 2). */
    private static byte[] image(ElfClass c) {
        long base = c == ElfClass.ELF32 ? 0x4b00_0000L : 0x2_0000_0000L;
        return assembled(c, List.of(new LoadSegment(base, base, 5, new byte[64], 0x1000))).squashed();
    }

    private static Assembled assembled(ElfClass c, List<LoadSegment> segments) {
        return ImageAssembler.builder().elfClass(c).machine(ElfWriter.EM_QDSP6).mbnVersion(6)
                .hashAddress(0x100_0000L).segments(segments).build().assemble();
    }

    private List<Violation> errors(byte[] bytes) throws IOException {
        Path file = fs.getPath("/fw/wrap.mbn");
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return new Validator(false).validate(file).errors();
    }

    private static boolean has(List<Violation> errors, Rule rule, int segment) {
        return errors.stream().anyMatch(v -> v.rule() == rule && v.segment() != null && v.segment() == segment);
    }

    private void assertRule(byte[] bytes, Rule rule) throws IOException {
        List<Violation> errors = errors(bytes);
        assertTrue(has(errors, rule, CODE), () -> "expected " + rule + " on segment " + CODE + ", got " + errors);
    }

    @Test
    void open_reportsOffsetOverflowWhenElf32OffsetPlusFileszPasses4GiB() throws IOException {
        byte[] b = image(ElfClass.ELF32);
        HeaderField.P_OFFSET.set(b, ElfClass.ELF32, CODE, 0xffff_f000L);
        HeaderField.P_FILESZ.set(b, ElfClass.ELF32, CODE, 0x2000);
        assertRule(b, Rule.OFFSET_OVERFLOW);
    }

    @Test
    void open_reportsOffsetOverflowWhenElf64OffsetIs2To63() throws IOException {
        byte[] b = image(ElfClass.ELF64);
        HeaderField.P_OFFSET.set(b, ElfClass.ELF64, CODE, Long.MIN_VALUE);
        assertRule(b, Rule.OFFSET_OVERFLOW);
    }

    @Test
    void open_reportsOffsetOverflowWhenElf64OffsetPlusFileszWrapsTo16() throws IOException {
        byte[] b = image(ElfClass.ELF64);
        // 2^64 - 16 + 32 = 16 (mod 2^64): the kernel's u64 sum would call this "inside the file"
        HeaderField.P_OFFSET.set(b, ElfClass.ELF64, CODE, -16L);
        HeaderField.P_FILESZ.set(b, ElfClass.ELF64, CODE, 32);
        assertRule(b, Rule.OFFSET_OVERFLOW);
    }

    @Test
    void open_reportsOffsetOverflowWhenElf64SumPasses2To63() throws IOException {
        byte[] b = image(ElfClass.ELF64);
        HeaderField.P_OFFSET.set(b, ElfClass.ELF64, CODE, Long.MAX_VALUE - 15);
        HeaderField.P_FILESZ.set(b, ElfClass.ELF64, CODE, 32);
        assertRule(b, Rule.OFFSET_OVERFLOW);
    }

    @Test
    void open_comparesFileszAndMemszUnsigned() throws IOException {
        byte[] b = image(ElfClass.ELF64);
        // as signed longs 2^63 would be "smaller" than p_memsz 0x1000
        HeaderField.P_FILESZ.set(b, ElfClass.ELF64, CODE, Long.MIN_VALUE);
        assertRule(b, Rule.FILESZ_EXCEEDS_MEMSZ);
    }

    @Test
    void layout_reportsAddressOverflowWhenElf32EndPasses4GiB() throws IOException {
        byte[] b = image(ElfClass.ELF32);
        HeaderField.P_PADDR.set(b, ElfClass.ELF32, CODE, 0xffff_f000L);
        HeaderField.P_MEMSZ.set(b, ElfClass.ELF32, CODE, 0x2000);
        assertRule(b, Rule.ADDRESS_OVERFLOW);
    }

    @Test
    void layout_reportsAddressOverflowWhenElf64EndWrapsPast2To64() throws IOException {
        byte[] b = image(ElfClass.ELF64);
        HeaderField.P_PADDR.set(b, ElfClass.ELF64, CODE, -0x1000L);
        HeaderField.P_MEMSZ.set(b, ElfClass.ELF64, CODE, 0x2000);
        assertRule(b, Rule.ADDRESS_OVERFLOW);
    }

    @Test
    void layout_reportsAddressOverflowWhenElf64EndPasses2To63() throws IOException {
        byte[] b = image(ElfClass.ELF64);
        HeaderField.P_PADDR.set(b, ElfClass.ELF64, CODE, Long.MAX_VALUE - 0xfff);
        HeaderField.P_MEMSZ.set(b, ElfClass.ELF64, CODE, 0x2000);
        assertRule(b, Rule.ADDRESS_OVERFLOW);
    }

    @Test
    void place_refusesACarveoutWhoseEndPasses2To63() throws Exception {
        Path file = fs.getPath("/fw/ok.mbn");
        Files.createDirectories(file.getParent());
        Files.write(file, image(ElfClass.ELF64));
        try (FirmwareImage image = FirmwareImage.open(file)) {
            LoadLayout layout = image.layout();
            assertThrows(IllegalArgumentException.class, () -> layout.place("ok.mbn", Long.MAX_VALUE - 0xfff, 0x2000));
            assertThrows(IllegalArgumentException.class, () -> layout.place("ok.mbn", -0x1000L, 0x2000));
        }
    }

    @Test
    void open_refusesASplitPartIndexThatNoBnnNameHolds() throws Exception {
        // 101 program headers: parts .b00 to .b99 exist, the kernel would format index 100 past its name buffer
        List<LoadSegment> segments = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            long address = 0x4000_0000L + i * 0x1000L;
            segments.add(new LoadSegment(address, address, 5, new byte[] {(byte) i}, 0x1000));
        }
        Assembled a = assembled(ElfClass.ELF32, segments);
        Path mdt = fs.getPath("/split/many.mdt");
        Files.createDirectories(mdt.getParent());
        Files.write(mdt, a.mdt());
        for (int i = 0; i <= PartName.MAX_INDEX; i++) {
            Files.write(PartName.of(mdt, i), a.parts().get(i));
        }
        assertEquals("many.b99", PartName.of(mdt, 99).getFileName().toString());
        List<Violation> errors = new Validator(false).validate(mdt).errors();
        assertTrue(has(errors, Rule.TOO_MANY_PHDRS, 100), () -> errors.toString());
        assertTrue(errors.stream().noneMatch(v -> v.segment() != null && v.segment() < 100), () -> errors.toString());
    }
}
