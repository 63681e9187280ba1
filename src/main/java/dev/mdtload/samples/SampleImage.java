package dev.mdtload.samples;

import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.mbn.DigestAlgorithm;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;

import java.util.List;
import java.util.Random;

/**
 * The image every sample starts from, small enough to commit: program headers 2, 3 and 4 are
 * code, data with a zero-filled tail, and bss. A fixed ELF64 image sits above 4 GiB, where only
 * a 64-bit header can put it; a relocatable one carries bit 27 on every loadable segment.
 * The segment bytes come from a seeded {@link Random}, whose sequence the JDK specifies, so every
 * run writes the same bytes.
 */
record SampleImage(int version, ElfClass elfClass, boolean relocatable) {
    static final int CODE_INDEX = 2;
    static final int DATA_INDEX = 3;
    static final int BSS_INDEX = 4;
    static final int CODE_SIZE = 1500;
    static final long CODE_MEMSZ = 0x1000;
    static final int DATA_SIZE = 600;
    static final long DATA_MEMSZ = 0x800;
    static final long BSS_MEMSZ = 0x3000;
    private static final long READ_EXECUTE = 0x5;
    private static final long READ_WRITE = 0x6;

    /** Lowest p_paddr. */
    long base() {
        if (elfClass == ElfClass.ELF32) {
            return relocatable ? 0x0f50_0000L : 0x4b00_0000L;
        }
        return relocatable ? 0x8_0000_0000L : 0x1_8000_0000L;
    }

    /** Where the firmware's own code sees its segments, as real images map them (wpss: 0xc0000000). */
    private long virtualBase() {
        return elfClass == ElfClass.ELF32 ? 0xc000_0000L : 0x40_0000_0000L;
    }

    long hashAddress() {
        return base() + 0x10_0000;
    }

    long flags(long permissions) {
        return relocatable ? permissions | ProgramHeader.QCOM_RELOCATABLE : permissions;
    }

    LoadSegment code() {
        return new LoadSegment(base(), virtualBase(), flags(READ_EXECUTE), bytes(CODE_SIZE, 1), CODE_MEMSZ);
    }

    LoadSegment data() {
        return new LoadSegment(base() + 0x1000, virtualBase() + 0x1000, flags(READ_WRITE), bytes(DATA_SIZE, 2), DATA_MEMSZ);
    }

    LoadSegment bss() {
        return LoadSegment.bss(base() + 0x2000, virtualBase() + 0x2000, flags(READ_WRITE), BSS_MEMSZ);
    }

    List<LoadSegment> segments() {
        return List.of(code(), data(), bss());
    }

    ImageAssembler.Builder builder() {
        return ImageAssembler.builder()
                .elfClass(elfClass)
                .machine(elfClass == ElfClass.ELF32 ? ElfWriter.EM_QDSP6 : ElfWriter.EM_AARCH64)
                .entry(base())
                .mbnVersion(version)
                .imageId(0xc)
                .hashAddress(hashAddress())
                .swId(0x1f)
                .segments(segments());
    }

    /** Deterministic bytes for segment {@code which} of this kind of image. */
    byte[] bytes(int size, int which) {
        byte[] out = new byte[size];
        new Random(((long) version * 1000 + elfClass.bits()) * 10 + (relocatable ? 1 : 0) + 100_000L * which)
                .nextBytes(out);
        return out;
    }

    /** "MBN v6 (SHA-384), ELF32, fixed at 0x4b000000". */
    String describe() {
        return String.format("MBN v%d (%s), ELF%d, %s 0x%x", version, DigestAlgorithm.forVersion(version),
                elfClass.bits(), relocatable ? "relocatable, linked at" : "fixed at", base());
    }
}
