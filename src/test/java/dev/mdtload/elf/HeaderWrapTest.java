package dev.mdtload.elf;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.fuzz.HeaderField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The header sums that can wrap: e_phoff + e_phnum * e_phentsize and e_shoff + e_shnum *
 * e_shentsize, in 32 and 64 bits (docs/limits.md). Each hostile value must end as the table's
 * out-of-bounds rule, never as an exception or a read past the file.
 */
class HeaderWrapTest {
    private static final int ELF64_SHDR_SIZE = 64;

    /** An ELF header and one program header, as ElfWriter packs them. */
    private static byte[] header(ElfClass c) {
        return ElfWriter.headers(c, ElfWriter.EM_QDSP6, 0, List.of(new ProgramHeader(0, 1, 5, 0, 0, 0, 0, 0x1000, 0)));
    }

    private static Rule rule(byte[] bytes) {
        return assertThrows(InvalidImageException.class, () -> Elf.parse(MemorySegment.ofArray(bytes), "wrap.mdt")).rule();
    }

    @Test
    void parse_rejectsElf64ProgramHeaderTableWhoseEndWrapsPast2To64() {
        byte[] b = header(ElfClass.ELF64);
        // 2^64 - 8 + 1 * 56 wraps to 48, which a wrapping check would take for "inside the file"
        HeaderField.E_PHOFF.set(b, ElfClass.ELF64, 0, -8L);
        assertEquals(Rule.PHDRS_OUT_OF_BOUNDS, rule(b));
    }

    @Test
    void parse_rejectsElf64ProgramHeaderTableAt2To63() {
        byte[] b = header(ElfClass.ELF64);
        HeaderField.E_PHOFF.set(b, ElfClass.ELF64, 0, Long.MIN_VALUE);
        assertEquals(Rule.PHDRS_OUT_OF_BOUNDS, rule(b));
    }

    @Test
    void parse_rejectsElf32ProgramHeaderTableWhoseEndWrapsPast2To32() {
        byte[] b = header(ElfClass.ELF32);
        // 0xfffffff0 + 32 wraps to 0x10 in 32-bit arithmetic
        HeaderField.E_PHOFF.set(b, ElfClass.ELF32, 0, 0xffff_fff0L);
        assertEquals(Rule.PHDRS_OUT_OF_BOUNDS, rule(b));
    }

    @ParameterizedTest
    @EnumSource(ElfClass.class)
    void parse_rejects65535ProgramHeadersInASmallFile(ElfClass c) {
        byte[] b = header(c);
        HeaderField.E_PHNUM.set(b, c, 0, 0xffff);
        assertEquals(Rule.PHDRS_OUT_OF_BOUNDS, rule(b));
    }

    @Test
    void parse_readsAll65535ProgramHeadersWhenTheFileHoldsThem() throws InvalidImageException {
        // the most e_phnum can declare: 65535 x 56 bytes = 3.5 MiB of table, read without any limit below the field's
        byte[] b = Arrays.copyOf(header(ElfClass.ELF64), 64 + 0xffff * 56);
        HeaderField.E_PHNUM.set(b, ElfClass.ELF64, 0, 0xffff);
        assertEquals(0xffff, Elf.parse(MemorySegment.ofArray(b), "max.mdt").phdrs().size());
    }

    @Test
    void parse_rejectsSectionHeaderTableWhoseEndWrapsPast2To64() {
        byte[] b = header(ElfClass.ELF64);
        HeaderField.E_SHENTSIZE.set(b, ElfClass.ELF64, 0, ELF64_SHDR_SIZE);
        HeaderField.E_SHNUM.set(b, ElfClass.ELF64, 0, 1);
        HeaderField.E_SHOFF.set(b, ElfClass.ELF64, 0, -16L);
        assertEquals(Rule.SHDRS_OUT_OF_BOUNDS, rule(b));
    }

    @Test
    void parse_rejectsMaximalSectionHeaderTableInASmallFile() {
        byte[] b = header(ElfClass.ELF32);
        HeaderField.E_SHENTSIZE.set(b, ElfClass.ELF32, 0, 40);
        HeaderField.E_SHNUM.set(b, ElfClass.ELF32, 0, 0xffff);
        HeaderField.E_SHOFF.set(b, ElfClass.ELF32, 0, 0xffff_ffffL);
        assertEquals(Rule.SHDRS_OUT_OF_BOUNDS, rule(b));
    }
}
