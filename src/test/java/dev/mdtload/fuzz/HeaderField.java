package dev.mdtload.fuzz;

import dev.mdtload.elf.ElfClass;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every ELF header and program-header field, placed as the ELF specification places it (not as
 * mdtload's layouts do), for tests that write hostile values into an image's bytes. Program
 * headers are found at e_phoff as the image currently holds it.
 */
public enum HeaderField {
    EI_CLASS(4, 1, 4, 1), EI_DATA(5, 1, 5, 1), E_TYPE(16, 2, 16, 2), E_MACHINE(18, 2, 18, 2),
    E_VERSION(20, 4, 20, 4), E_ENTRY(24, 4, 24, 8), E_PHOFF(28, 4, 32, 8), E_SHOFF(32, 4, 40, 8),
    E_FLAGS(36, 4, 48, 4), E_EHSIZE(40, 2, 52, 2), E_PHENTSIZE(42, 2, 54, 2), E_PHNUM(44, 2, 56, 2),
    E_SHENTSIZE(46, 2, 58, 2), E_SHNUM(48, 2, 60, 2), E_SHSTRNDX(50, 2, 62, 2),
    P_TYPE(0, 4, 0, 4), P_OFFSET(4, 4, 8, 8), P_VADDR(8, 4, 16, 8), P_PADDR(12, 4, 24, 8),
    P_FILESZ(16, 4, 32, 8), P_MEMSZ(20, 4, 40, 8), P_FLAGS(24, 4, 4, 4), P_ALIGN(28, 4, 48, 8);

    private final int off32;
    private final int width32;
    private final int off64;
    private final int width64;

    HeaderField(int off32, int width32, int off64, int width64) {
        this.off32 = off32;
        this.width32 = width32;
        this.off64 = off64;
        this.width64 = width64;
    }

    public boolean inProgramHeader() {
        return name().startsWith("P_");
    }

    public int width(ElfClass c) {
        return c == ElfClass.ELF64 ? width64 : width32;
    }

    /** All ones in the field's width: the largest value it can hold. */
    public long max(ElfClass c) {
        return width(c) == 8 ? -1L : (1L << (8 * width(c))) - 1;
    }

    /** The field's value in {@code image}; {@code phdr} selects the program header and is ignored for e_* fields. */
    public long get(byte[] image, ElfClass c, int phdr) {
        ByteBuffer b = le(image);
        int at = offset(b, c, phdr);
        return switch (width(c)) {
            case 1 -> Byte.toUnsignedLong(b.get(at));
            case 2 -> Short.toUnsignedLong(b.getShort(at));
            case 4 -> Integer.toUnsignedLong(b.getInt(at));
            default -> b.getLong(at);
        };
    }

    /** Writes the low bytes of {@code value} that the field holds. */
    public void set(byte[] image, ElfClass c, int phdr, long value) {
        ByteBuffer b = le(image);
        int at = offset(b, c, phdr);
        switch (width(c)) {
            case 1 -> b.put(at, (byte) value);
            case 2 -> b.putShort(at, (short) value);
            case 4 -> b.putInt(at, (int) value);
            default -> b.putLong(at, value);
        }
    }

    private int offset(ByteBuffer b, ElfClass c, int phdr) {
        boolean is64 = c == ElfClass.ELF64;
        int field = is64 ? off64 : off32;
        if (!inProgramHeader()) {
            return field;
        }
        long phoff = is64 ? b.getLong(32) : Integer.toUnsignedLong(b.getInt(28));
        return Math.toIntExact(phoff + (long) phdr * c.phdrSize() + field);
    }

    private static ByteBuffer le(byte[] image) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }
}
