package dev.mdtload.elf;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The ELF structures mdtload reads, declared once with the C field names of {@code <elf.h>}.
 * Firmware files are little-endian and carry no alignment promise, hence the unaligned LE values.
 */
final class ElfLayouts {
    private ElfLayouts() {}

    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final int EI_NIDENT = 16;
    static final int EI_CLASS = 4;
    static final int EI_DATA = 5;

    /*
     * typedef struct { unsigned char e_ident[16]; Elf32_Half e_type; Elf32_Half e_machine;
     *   Elf32_Word e_version; Elf32_Addr e_entry; Elf32_Off e_phoff; Elf32_Off e_shoff;
     *   Elf32_Word e_flags; Elf32_Half e_ehsize; Elf32_Half e_phentsize; Elf32_Half e_phnum;
     *   Elf32_Half e_shentsize; Elf32_Half e_shnum; Elf32_Half e_shstrndx; } Elf32_Ehdr;
     */
    static final StructLayout ELF32_EHDR = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(EI_NIDENT, U8).withName("e_ident"),
            U16.withName("e_type"),
            U16.withName("e_machine"),
            U32.withName("e_version"),
            U32.withName("e_entry"),
            U32.withName("e_phoff"),
            U32.withName("e_shoff"),
            U32.withName("e_flags"),
            U16.withName("e_ehsize"),
            U16.withName("e_phentsize"),
            U16.withName("e_phnum"),
            U16.withName("e_shentsize"),
            U16.withName("e_shnum"),
            U16.withName("e_shstrndx")).withName("Elf32_Ehdr");

    /* Elf64_Ehdr: as Elf32_Ehdr with e_entry, e_phoff and e_shoff widened to 64 bits. */
    static final StructLayout ELF64_EHDR = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(EI_NIDENT, U8).withName("e_ident"),
            U16.withName("e_type"),
            U16.withName("e_machine"),
            U32.withName("e_version"),
            U64.withName("e_entry"),
            U64.withName("e_phoff"),
            U64.withName("e_shoff"),
            U32.withName("e_flags"),
            U16.withName("e_ehsize"),
            U16.withName("e_phentsize"),
            U16.withName("e_phnum"),
            U16.withName("e_shentsize"),
            U16.withName("e_shnum"),
            U16.withName("e_shstrndx")).withName("Elf64_Ehdr");

    /*
     * typedef struct { Elf32_Word p_type; Elf32_Off p_offset; Elf32_Addr p_vaddr; Elf32_Addr p_paddr;
     *   Elf32_Word p_filesz; Elf32_Word p_memsz; Elf32_Word p_flags; Elf32_Word p_align; } Elf32_Phdr;
     */
    static final StructLayout ELF32_PHDR = MemoryLayout.structLayout(
            U32.withName("p_type"),
            U32.withName("p_offset"),
            U32.withName("p_vaddr"),
            U32.withName("p_paddr"),
            U32.withName("p_filesz"),
            U32.withName("p_memsz"),
            U32.withName("p_flags"),
            U32.withName("p_align")).withName("Elf32_Phdr");

    /*
     * typedef struct { Elf64_Word p_type; Elf64_Word p_flags; Elf64_Off p_offset; Elf64_Addr p_vaddr;
     *   Elf64_Addr p_paddr; Elf64_Xword p_filesz; Elf64_Xword p_memsz; Elf64_Xword p_align; } Elf64_Phdr;
     * p_flags moves up beside p_type so the 64-bit fields stay naturally aligned.
     */
    static final StructLayout ELF64_PHDR = MemoryLayout.structLayout(
            U32.withName("p_type"),
            U32.withName("p_flags"),
            U64.withName("p_offset"),
            U64.withName("p_vaddr"),
            U64.withName("p_paddr"),
            U64.withName("p_filesz"),
            U64.withName("p_memsz"),
            U64.withName("p_align")).withName("Elf64_Phdr");

    /** Size of a section header (Elf32_Shdr / Elf64_Shdr); mdtload checks the table's bounds, never its contents. */
    static final int ELF32_SHDR_SIZE = 40;
    static final int ELF64_SHDR_SIZE = 64;

    /**
     * An unsigned field of a struct layout, read at a base offset. The VarHandle is derived once
     * from the layout; widening to an unsigned {@code long} happens here so callers never see
     * Java's signed short/int.
     */
    record Field(String name, VarHandle handle, long width) {
        static Field of(StructLayout struct, String name) {
            MemoryLayout member = struct.select(groupElement(name));
            return new Field(name, struct.varHandle(groupElement(name)), member.byteSize());
        }

        long get(MemorySegment segment, long base) {
            return switch ((int) width) {
                case 1 -> Byte.toUnsignedLong((byte) handle.get(segment, base));
                case 2 -> Short.toUnsignedLong((short) handle.get(segment, base));
                case 4 -> Integer.toUnsignedLong((int) handle.get(segment, base));
                case 8 -> (long) handle.get(segment, base);
                // layouts above only use 1/2/4/8-byte scalars
                default -> throw new AssertionError("field width " + width);
            };
        }

        /** Writes {@code value}, refusing one the field cannot hold instead of silently cutting it. */
        void set(MemorySegment segment, long base, long value) {
            if (width < 8 && value >>> (8 * width) != 0) {
                throw new IllegalArgumentException(String.format("%s 0x%x does not fit %d bytes", name, value, width));
            }
            switch ((int) width) {
                case 1 -> handle.set(segment, base, (byte) value);
                case 2 -> handle.set(segment, base, (short) value);
                case 4 -> handle.set(segment, base, (int) value);
                case 8 -> handle.set(segment, base, value);
                default -> throw new AssertionError("field width " + width);
            }
        }
    }
}
