package dev.mdtload.elf;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Writes an ELF header followed directly by its program-header table, through the same layouts
 * the parser reads. Used to build synthetic and test-signed images; section headers are never
 * written (firmware has none).
 */
public final class ElfWriter {
    public static final int ET_EXEC = 2;
    public static final int EM_ARM = 40;
    public static final int EM_QDSP6 = 164;
    public static final int EM_AARCH64 = 183;
    private static final int EV_CURRENT = 1;
    /** Positions of the class and data-encoding bytes in e_ident, for files a reader must refuse. */
    public static final int EI_CLASS = ElfLayouts.EI_CLASS;
    public static final int EI_DATA = ElfLayouts.EI_DATA;

    private ElfWriter() {}

    /** Size of the header plus {@code phnum} program headers: segment 0's p_filesz in firmware. */
    public static long headersSize(ElfClass c, int phnum) {
        return headersSize(c, c.ehdrSize(), phnum);
    }

    /** Size of the header, a gap up to {@code phoff}, and {@code phnum} program headers from there. */
    public static long headersSize(ElfClass c, long phoff, int phnum) {
        return phoff + (long) phnum * c.phdrSize();
    }

    /**
     * The ELF header and program headers, packed as firmware has them (e_phoff = e_ehsize).
     * {@code phdrs} are written in list order; their {@code index} fields are ignored.
     */
    public static byte[] headers(ElfClass c, int machine, long entry, List<ProgramHeader> phdrs) {
        return headers(c, machine, entry, phdrs, c.ehdrSize());
    }

    /**
     * The ELF header, zeros up to {@code phoff}, and the program headers from there: the table
     * where e_phoff says, not where the kernels before 6.17 look for it.
     *
     * @throws IllegalArgumentException {@code phoff} overlaps the ELF header, or e_phnum does not fit
     */
    public static byte[] headers(ElfClass c, int machine, long entry, List<ProgramHeader> phdrs, long phoff) {
        if (phdrs.size() > 0xffff) {
            throw new IllegalArgumentException("e_phnum " + phdrs.size() + " does not fit 16 bits");
        }
        if (phoff < c.ehdrSize() || headersSize(c, phoff, phdrs.size()) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("e_phoff " + phoff + " must lie after the " + c.ehdrSize()
                    + "-byte ELF header, with the table within 2 GiB");
        }
        byte[] bytes = new byte[(int) headersSize(c, phoff, phdrs.size())];
        MemorySegment out = MemorySegment.ofArray(bytes);
        out.set(ElfLayouts.U8, 0, Elf.MAGIC[0]);
        out.set(ElfLayouts.U8, 1, Elf.MAGIC[1]);
        out.set(ElfLayouts.U8, 2, Elf.MAGIC[2]);
        out.set(ElfLayouts.U8, 3, Elf.MAGIC[3]);
        out.set(ElfLayouts.U8, ElfLayouts.EI_CLASS, (byte) c.ident());
        out.set(ElfLayouts.U8, ElfLayouts.EI_DATA, (byte) Elf.ELFDATA2LSB);
        out.set(ElfLayouts.U8, 6, (byte) EV_CURRENT);
        Fields.Ehdr h = Fields.ehdr(c);
        h.e_type().set(out, 0, ET_EXEC);
        h.e_machine().set(out, 0, machine);
        h.e_version().set(out, 0, EV_CURRENT);
        h.e_entry().set(out, 0, entry);
        h.e_phoff().set(out, 0, phoff);
        h.e_ehsize().set(out, 0, c.ehdrSize());
        h.e_phentsize().set(out, 0, c.phdrSize());
        h.e_phnum().set(out, 0, phdrs.size());
        Fields.Phdr f = Fields.phdr(c);
        long at = phoff;
        for (ProgramHeader p : phdrs) {
            f.p_type().set(out, at, p.p_type());
            f.p_flags().set(out, at, p.p_flags());
            f.p_offset().set(out, at, p.p_offset());
            f.p_vaddr().set(out, at, p.p_vaddr());
            f.p_paddr().set(out, at, p.p_paddr());
            f.p_filesz().set(out, at, p.p_filesz());
            f.p_memsz().set(out, at, p.p_memsz());
            f.p_align().set(out, at, p.p_align());
            at += c.phdrSize();
        }
        return bytes;
    }

    /**
     * Overwrites one field of the ELF header at the start of {@code file}, named as in {@code <elf.h>}
     * ("e_phnum"). For building deliberately broken images, which {@link #headers} never writes.
     *
     * @throws IllegalArgumentException no such field, or the value does not fit it
     */
    public static void setHeaderField(byte[] file, ElfClass c, String field, long value) {
        ElfLayouts.Field.of(c.ehdr, field).set(MemorySegment.ofArray(file), 0, value);
    }
}
