package dev.mdtload.elf;

import java.lang.foreign.StructLayout;

/** ELFCLASS32 or ELFCLASS64, with the sizes and address width that follow from it. */
public enum ElfClass {
    ELF32(1, 32, ElfLayouts.ELF32_EHDR, ElfLayouts.ELF32_PHDR, ElfLayouts.ELF32_SHDR_SIZE),
    ELF64(2, 64, ElfLayouts.ELF64_EHDR, ElfLayouts.ELF64_PHDR, ElfLayouts.ELF64_SHDR_SIZE);

    private final int ident;
    private final int bits;
    final StructLayout ehdr;
    final StructLayout phdr;
    private final int shdrSize;

    ElfClass(int ident, int bits, StructLayout ehdr, StructLayout phdr, int shdrSize) {
        this.ident = ident;
        this.bits = bits;
        this.ehdr = ehdr;
        this.phdr = phdr;
        this.shdrSize = shdrSize;
    }

    /** The EI_CLASS byte value. */
    public int ident() {
        return ident;
    }

    /** 32 or 64, as reported in JSON ({@code elf_class}). */
    public int bits() {
        return bits;
    }

    public int ehdrSize() {
        return (int) ehdr.byteSize();
    }

    public int phdrSize() {
        return (int) phdr.byteSize();
    }

    public int shdrSize() {
        return shdrSize;
    }

    /** Largest value an address or offset field of this class can hold. */
    public long maxAddress() {
        // 64-bit values stop at 2^63 - 1: no physical address space comes near, and it keeps
        // every sum of two fields checkable with Math.addExact.
        return this == ELF32 ? 0xFFFF_FFFFL : Long.MAX_VALUE;
    }

    static ElfClass ofIdent(int ident) {
        for (ElfClass c : values()) {
            if (c.ident == ident) {
                return c;
            }
        }
        return null;
    }
}
