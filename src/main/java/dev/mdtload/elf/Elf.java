package dev.mdtload.elf;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * An ELF header and its program-header table, parsed from the bytes of a file. Only the header
 * rules of the kernel's mdt_header_valid() are checked here: a file that passes them has a
 * program-header table that lies wholly inside it. Segment rules belong to the image.
 */
public record Elf(ElfHeader header, List<ProgramHeader> phdrs) {
    public static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    static final int ELFDATA2LSB = 1;
    static final int ELFDATA2MSB = 2;

    public Elf {
        phdrs = List.copyOf(phdrs);
    }

    public ElfClass elfClass() {
        return header.elfClass();
    }

    /**
     * Parses {@code file} (the whole .mdt/.mbn); {@code name} is only used in messages.
     *
     * @throws InvalidImageException naming the first header rule the bytes break
     */
    public static Elf parse(MemorySegment file, String name) throws InvalidImageException {
        long size = file.byteSize();
        if (size < ElfLayouts.EI_NIDENT) {
            throw fail(Rule.FILE_TOO_SHORT, name, "file is %d bytes, shorter than an ELF identification", size);
        }
        byte[] magic = file.asSlice(0, MAGIC.length).toArray(ElfLayouts.U8);
        if (!Arrays.equals(magic, MAGIC)) {
            HexFormat hex = HexFormat.ofDelimiter(" ");
            throw fail(Rule.BAD_MAGIC, name, "bad ELF magic %s, expected %s", hex.formatHex(magic), hex.formatHex(MAGIC));
        }
        int classByte = Byte.toUnsignedInt(file.get(ElfLayouts.U8, ElfLayouts.EI_CLASS));
        ElfClass elfClass = ElfClass.ofIdent(classByte);
        if (elfClass == null) {
            throw fail(Rule.UNSUPPORTED_CLASS, name, "EI_CLASS %d is neither ELFCLASS32 nor ELFCLASS64", classByte);
        }
        int data = Byte.toUnsignedInt(file.get(ElfLayouts.U8, ElfLayouts.EI_DATA));
        if (data != ELFDATA2LSB) {
            throw fail(Rule.NOT_LITTLE_ENDIAN, name, "EI_DATA %d (%s): only little-endian ELF is supported",
                    data, data == ELFDATA2MSB ? "big-endian" : "unknown");
        }
        if (size < elfClass.ehdrSize()) {
            throw fail(Rule.FILE_TOO_SHORT, name, "file is %d bytes, shorter than an %s header (%d)",
                    size, elfClass, elfClass.ehdrSize());
        }
        ElfHeader header = readHeader(file, elfClass);
        if (header.e_phentsize() != elfClass.phdrSize()) {
            throw fail(Rule.BAD_PHENTSIZE, name, "e_phentsize %d != %d for %s",
                    header.e_phentsize(), elfClass.phdrSize(), elfClass);
        }
        checkTable(Rule.PHDRS_OUT_OF_BOUNDS, name, "program", header.e_phoff(), header.e_phnum(), elfClass.phdrSize(), size);
        // Real firmware has no section table; the kernel only checks one that is declared.
        if (header.e_shentsize() != 0 || header.e_shnum() != 0) {
            if (header.e_shentsize() != elfClass.shdrSize()) {
                throw fail(Rule.BAD_SHENTSIZE, name, "e_shentsize %d != %d for %s",
                        header.e_shentsize(), elfClass.shdrSize(), elfClass);
            }
            checkTable(Rule.SHDRS_OUT_OF_BOUNDS, name, "section", header.e_shoff(), header.e_shnum(), elfClass.shdrSize(), size);
        }
        List<ProgramHeader> phdrs = new ArrayList<>(header.e_phnum());
        for (int i = 0; i < header.e_phnum(); i++) {
            phdrs.add(readPhdr(file, elfClass, header.e_phoff() + (long) i * elfClass.phdrSize(), i));
        }
        return new Elf(header, phdrs);
    }

    /** {@code off + count * entsize <= size}, computed so that no operand can wrap (count and entsize are u16). */
    private static void checkTable(Rule rule, String name, String what, long off, int count, int entsize, long size)
            throws InvalidImageException {
        long tableBytes = (long) count * entsize;
        if (off < 0 || off > size || tableBytes > size - off) {
            throw fail(rule, name, "%s-header table at 0x%x + %d x %d bytes runs past the end of the file (%d bytes)",
                    what, off, count, entsize, size);
        }
    }

    private static ElfHeader readHeader(MemorySegment f, ElfClass c) {
        Fields.Ehdr h = Fields.ehdr(c);
        return new ElfHeader(c,
                (int) h.e_type().get(f, 0),
                (int) h.e_machine().get(f, 0),
                h.e_entry().get(f, 0),
                h.e_phoff().get(f, 0),
                h.e_shoff().get(f, 0),
                h.e_flags().get(f, 0),
                (int) h.e_ehsize().get(f, 0),
                (int) h.e_phentsize().get(f, 0),
                (int) h.e_phnum().get(f, 0),
                (int) h.e_shentsize().get(f, 0),
                (int) h.e_shnum().get(f, 0));
    }

    private static ProgramHeader readPhdr(MemorySegment f, ElfClass c, long at, int index) {
        Fields.Phdr p = Fields.phdr(c);
        return new ProgramHeader(index,
                p.p_type().get(f, at),
                p.p_flags().get(f, at),
                p.p_offset().get(f, at),
                p.p_vaddr().get(f, at),
                p.p_paddr().get(f, at),
                p.p_filesz().get(f, at),
                p.p_memsz().get(f, at),
                p.p_align().get(f, at));
    }

    private static InvalidImageException fail(Rule rule, String name, String format, Object... args) {
        return new InvalidImageException(Violation.of(rule, name, String.format(format, args)));
    }
}
