package dev.mdtload.elf;

/**
 * One program header, widened to unsigned longs, plus the Qualcomm meaning of its flags.
 * {@code index} is its position in the table: it names the {@code .bNN} part and the digest entry.
 */
public record ProgramHeader(
        int index,
        long p_type,
        long p_flags,
        long p_offset,
        long p_vaddr,
        long p_paddr,
        long p_filesz,
        long p_memsz,
        long p_align) {

    public static final long PT_NULL = 0;
    public static final long PT_LOAD = 1;

    /** QCOM segment type: bits 24..26 of p_flags. */
    public static final int QCOM_TYPE_SHIFT = 24;
    public static final long QCOM_TYPE_MASK = 7L << QCOM_TYPE_SHIFT;
    public static final int QCOM_TYPE_HASH = 2;
    public static final int QCOM_TYPE_PHDR = 7;
    /** Bit 27 of p_flags: the image may be placed anywhere (kernel: QCOM_MDT_RELOCATABLE). */
    public static final long QCOM_RELOCATABLE = 1L << 27;

    public int qcomType() {
        return (int) ((p_flags & QCOM_TYPE_MASK) >>> QCOM_TYPE_SHIFT);
    }

    public boolean isHashSegment() {
        return qcomType() == QCOM_TYPE_HASH;
    }

    /** The kernel's mdt_phdr_loadable(): PT_LOAD, not the hash segment, and something to place. */
    public boolean isLoadable() {
        return p_type == PT_LOAD && !isHashSegment() && p_memsz != 0;
    }

    public boolean isRelocatable() {
        return (p_flags & QCOM_RELOCATABLE) != 0;
    }

    /** "RWX"-style permission letters from the ELF PF_R/PF_W/PF_X bits. */
    public String permissions() {
        return permissions(p_flags);
    }

    /** "RWX"-style letters of any p_flags value. */
    public static String permissions(long flags) {
        return ((flags & 4) != 0 ? "R" : "-") + ((flags & 2) != 0 ? "W" : "-") + ((flags & 1) != 0 ? "X" : "-");
    }

    public String typeName() {
        return switch ((int) p_type) {
            case 0 -> "NULL";
            case 1 -> "LOAD";
            case 2 -> "DYNAMIC";
            case 3 -> "INTERP";
            case 4 -> "NOTE";
            case 6 -> "PHDR";
            default -> String.format("0x%x", p_type);
        };
    }
}
