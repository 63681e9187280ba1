package dev.mdtload.elf;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.testing.ElfBytes;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElfTest {
    private static final long PT_NULL = 0;
    private static final long PT_LOAD = 1;

    private static Elf parse(byte[] bytes) throws InvalidImageException {
        return Elf.parse(MemorySegment.ofArray(bytes), "fw.mdt");
    }

    /** Asserts the one violation's rule, that it names the file and no segment, and that its message holds every value. */
    private static void assertRejected(Rule rule, byte[] bytes, String... values) {
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> parse(bytes));
        assertEquals(1, e.violations().size(), e.violations()::toString);
        Violation v = e.violations().getFirst();
        assertEquals(rule, v.rule(), v::line);
        assertEquals("fw.mdt", v.file());
        assertNull(v.segment(), "a header rule concerns the whole file");
        for (String value : values) {
            assertTrue(v.message().contains(value), () -> "'" + v.message() + "' should name " + value);
        }
        assertTrue(v.line().endsWith("[" + rule.id() + "]"), v::line);
    }

    private static ElfBytes onePhdr32() {
        return ElfBytes.elf32().phdr(PT_LOAD, 5, 0x1000, 0x8000_0000L, 16, 32);
    }

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void parse_readsEveryRealImageAsTheReadmeDescribesIt(RealImage image) throws Exception {
        byte[] bytes = Files.readAllBytes(image.path());
        Elf elf = parse(bytes);
        RawElf raw = image.raw();

        assertEquals(ElfClass.ELF32, elf.elfClass());
        assertEquals(image.phnum, elf.header().e_phnum());
        assertEquals(image.phnum, elf.phdrs().size());
        ProgramHeader first = elf.phdrs().getFirst();
        assertEquals(PT_NULL, first.p_type());
        assertEquals(7, first.qcomType());
        assertEquals(elf.header().e_ehsize() + (long) image.phnum * elf.header().e_phentsize(), first.p_filesz());
        assertEquals(0, first.p_memsz());
        ProgramHeader hash = elf.phdrs().get(1);
        assertEquals(PT_NULL, hash.p_type());
        assertTrue(hash.isHashSegment());
        for (RawElf.Phdr expected : raw.phdrs()) {
            ProgramHeader actual = elf.phdrs().get(expected.index());
            assertEquals(expected.index(), actual.index());
            assertEquals(expected.type(), actual.p_type());
            assertEquals(expected.offset(), actual.p_offset());
            assertEquals(expected.paddr(), actual.p_paddr());
            assertEquals(expected.filesz(), actual.p_filesz());
            assertEquals(expected.memsz(), actual.p_memsz());
            assertEquals(expected.flags(), actual.p_flags());
        }
    }

    @Test
    void parse_widensElf32FieldsAsUnsigned() throws Exception {
        Elf elf = parse(ElfBytes.elf32().phdr(PT_LOAD, 0x8800_0005L, 0x1000, 0xFFFF_F000L, 0x8000_0000L, 0xFFFF_FFFFL)
                .build());
        ProgramHeader p = elf.phdrs().getFirst();
        assertEquals(0xFFFF_F000L, p.p_paddr());
        assertEquals(0xFFFF_F000L, p.p_vaddr());
        assertEquals(0x8000_0000L, p.p_filesz());
        assertEquals(0xFFFF_FFFFL, p.p_memsz());
        assertEquals(0x8800_0005L, p.p_flags());
    }

    @Test
    void parse_readsElf64ProgramHeadersWithFlagsBesideType() throws Exception {
        Elf elf = parse(ElfBytes.elf64()
                .phdr(PT_NULL, 7L << 24, 0, 0, 64 + 2 * 56, 0)
                .phdr(PT_LOAD, (1L << 27) | 5, 0x1_0000_0000L, 0x2_0000_0000L, 0x10, 0x3_0000_0000L).build());
        assertEquals(ElfClass.ELF64, elf.elfClass());
        assertEquals(64, elf.elfClass().bits());
        ProgramHeader p = elf.phdrs().get(1);
        assertEquals(PT_LOAD, p.p_type());
        assertEquals((1L << 27) | 5, p.p_flags());
        assertEquals(0x1_0000_0000L, p.p_offset());
        assertEquals(0x2_0000_0000L, p.p_paddr());
        assertEquals(0x10, p.p_filesz());
        assertEquals(0x3_0000_0000L, p.p_memsz());
        assertTrue(p.isRelocatable());
    }

    @Test
    void parse_rejectsFileShorterThanTheIdentification() {
        assertRejected(Rule.FILE_TOO_SHORT, new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0}, "10 bytes");
    }

    @Test
    void parse_rejectsEmptyFile() {
        assertRejected(Rule.FILE_TOO_SHORT, new byte[0], "0 bytes");
    }

    @Test
    void parse_rejectsFileShorterThanAnElf32Header() {
        assertRejected(Rule.FILE_TOO_SHORT, ElfBytes.elf32().size(40).build(), "40 bytes", "52");
    }

    @Test
    void parse_rejectsFileShorterThanAnElf64Header() {
        assertRejected(Rule.FILE_TOO_SHORT, ElfBytes.elf64().size(60).build(), "60 bytes", "64");
    }

    @Test
    void parse_rejectsBadMagicNamingTheBytesFound() {
        assertRejected(Rule.BAD_MAGIC, onePhdr32().magic(new byte[] {0x7f, 'E', 'L', 'G'}).build(), "7f 45 4c 47");
    }

    @Test
    void parse_rejectsUnsupportedClass() {
        assertRejected(Rule.UNSUPPORTED_CLASS, onePhdr32().elfClass(3).build(), "EI_CLASS 3");
        assertRejected(Rule.UNSUPPORTED_CLASS, onePhdr32().elfClass(0).build(), "EI_CLASS 0");
    }

    @Test
    void parse_rejectsBigEndianHeader() {
        assertRejected(Rule.NOT_LITTLE_ENDIAN, onePhdr32().data(2).build(), "EI_DATA 2", "big-endian");
        assertRejected(Rule.NOT_LITTLE_ENDIAN, ElfBytes.elf64().data(2).build(), "EI_DATA 2", "big-endian");
    }

    @Test
    void parse_rejectsUnknownDataEncoding() {
        assertRejected(Rule.NOT_LITTLE_ENDIAN, onePhdr32().data(0).build(), "EI_DATA 0");
    }

    @Test
    void parse_rejectsPhentsizeOfTheOtherClass() {
        assertRejected(Rule.BAD_PHENTSIZE, onePhdr32().phentsize(56).build(), "56", "32");
        assertRejected(Rule.BAD_PHENTSIZE, ElfBytes.elf64().phentsize(32).build(), "32", "56");
    }

    @Test
    void parse_rejectsPhdrTableOneBytePastTheEnd() {
        byte[] bytes = onePhdr32().size(52 + 31).build();
        assertRejected(Rule.PHDRS_OUT_OF_BOUNDS, bytes, "0x34", "1 x 32", "83 bytes");
    }

    @Test
    void parse_acceptsPhdrTableEndingExactlyAtTheEnd() throws Exception {
        assertEquals(1, parse(onePhdr32().size(52 + 32).build()).phdrs().size());
    }

    @Test
    void parse_rejectsPhnumLargerThanTheFileHolds() {
        assertRejected(Rule.PHDRS_OUT_OF_BOUNDS, onePhdr32().phnum(0xFFFF).build(), "65535 x 32");
    }

    @Test
    void parse_rejectsElf32PhoffThatWouldWrapAt2To32() {
        // 0xfffffff0 + 1 * 32 wraps to 0x10 in 32-bit arithmetic, inside the file
        assertRejected(Rule.PHDRS_OUT_OF_BOUNDS, onePhdr32().phoff(0xFFFF_FFF0L).build(), "0xfffffff0");
    }

    @Test
    void parse_rejectsElf64PhoffThatWouldWrapAt2To64() {
        byte[] bytes = ElfBytes.elf64().phdr(PT_LOAD, 5, 0, 0, 0, 16).phoff(0xFFFF_FFFF_FFFF_FFF0L).build();
        assertRejected(Rule.PHDRS_OUT_OF_BOUNDS, bytes, "0xfffffffffffffff0");
        byte[] nearSignBit = ElfBytes.elf64().phdr(PT_LOAD, 5, 0, 0, 0, 16).phoff(0x7FFF_FFFF_FFFF_FFF0L).build();
        assertRejected(Rule.PHDRS_OUT_OF_BOUNDS, nearSignBit, "0x7ffffffffffffff0");
    }

    @Test
    void parse_acceptsAbsentSectionTable() throws Exception {
        // as qcom/sm8250/a650_zap.mbn: e_shentsize 0, e_shnum 0; e_shoff is then never looked at
        assertEquals(1, parse(onePhdr32().shentsize(0).shnum(0).shoff(0xFFFF_FFF0L).build()).phdrs().size());
    }

    @Test
    void parse_acceptsEmptySectionTableOfTheRightEntrySize() throws Exception {
        // as the ath11k images: e_shentsize 40, e_shnum 0, e_shoff 0
        assertEquals(1, parse(onePhdr32().shentsize(40).shnum(0).build()).phdrs().size());
    }

    @Test
    void parse_rejectsWrongShentsizeOnlyWhenASectionTableIsDeclared() {
        assertRejected(Rule.BAD_SHENTSIZE, onePhdr32().shentsize(0).shnum(1).build(), "e_shentsize 0", "40");
        assertRejected(Rule.BAD_SHENTSIZE, onePhdr32().shentsize(64).shnum(0).build(), "e_shentsize 64", "40");
        assertRejected(Rule.BAD_SHENTSIZE, ElfBytes.elf64().shentsize(40).shnum(1).build(), "e_shentsize 40", "64");
    }

    @Test
    void parse_rejectsSectionTablePastTheEnd() {
        byte[] bytes = onePhdr32().shentsize(40).shnum(2).shoff(52).build();
        assertRejected(Rule.SHDRS_OUT_OF_BOUNDS, bytes, "0x34", "2 x 40", "84 bytes");
    }

    @Test
    void parse_rejectsSectionOffsetsThatWouldWrap() {
        assertRejected(Rule.SHDRS_OUT_OF_BOUNDS, onePhdr32().shentsize(40).shnum(1).shoff(0xFFFF_FFF0L).build(),
                "0xfffffff0");
        assertRejected(Rule.SHDRS_OUT_OF_BOUNDS,
                ElfBytes.elf64().shentsize(64).shnum(1).shoff(0xFFFF_FFFF_FFFF_FFC0L).build(), "0xffffffffffffffc0");
    }
}
