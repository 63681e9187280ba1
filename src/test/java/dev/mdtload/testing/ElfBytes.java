package dev.mdtload.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny ELF byte builder (little-endian unless told otherwise) for header-rule tests: an ELF header, a program-header
 * table right after it, optional payload bytes, and setters that break any one header field.
 * Field offsets are those of {@code <elf.h>}, written out here rather than taken from the code
 * under test.
 */
public final class ElfBytes {
    private final boolean elf64;
    private int elfClass;
    private int data = 1;
    private byte[] magic = {0x7f, 'E', 'L', 'F'};
    private long phoff;
    private int phentsize;
    private Integer phnum;
    private long shoff;
    private int shentsize;
    private int shnum;
    private Integer size;
    private final List<long[]> phdrs = new ArrayList<>();
    private final List<Object[]> payloads = new ArrayList<>();

    private ElfBytes(boolean elf64) {
        this.elf64 = elf64;
        this.elfClass = elf64 ? 2 : 1;
        this.phoff = ehsize();
        this.phentsize = elf64 ? 56 : 32;
    }

    public static ElfBytes elf32() {
        return new ElfBytes(false);
    }

    public static ElfBytes elf64() {
        return new ElfBytes(true);
    }

    public int ehsize() {
        return elf64 ? 64 : 52;
    }

    /** Where the headers end with the program headers added so far (the usual segment 0 size). */
    public int headersEnd() {
        return ehsize() + phdrs.size() * (elf64 ? 56 : 32);
    }

    public ElfBytes phdr(long type, long flags, long offset, long paddr, long filesz, long memsz) {
        phdrs.add(new long[] {type, flags, offset, paddr, filesz, memsz});
        return this;
    }

    public ElfBytes payload(long offset, byte[] bytes) {
        payloads.add(new Object[] {offset, bytes});
        return this;
    }

    public ElfBytes magic(byte[] magic) {
        this.magic = magic.clone();
        return this;
    }

    public ElfBytes elfClass(int eiClass) {
        this.elfClass = eiClass;
        return this;
    }

    /** Sets EI_DATA; with ELFDATA2MSB (2) every multi-byte field is written big-endian too. */
    public ElfBytes data(int eiData) {
        this.data = eiData;
        return this;
    }

    public ElfBytes phoff(long value) {
        this.phoff = value;
        return this;
    }

    public ElfBytes phentsize(int value) {
        this.phentsize = value;
        return this;
    }

    /** Overrides e_phnum (default: the number of phdrs added). */
    public ElfBytes phnum(int value) {
        this.phnum = value;
        return this;
    }

    public ElfBytes shoff(long value) {
        this.shoff = value;
        return this;
    }

    public ElfBytes shentsize(int value) {
        this.shentsize = value;
        return this;
    }

    public ElfBytes shnum(int value) {
        this.shnum = value;
        return this;
    }

    /** Total file size (default: up to the end of the last thing written). */
    public ElfBytes size(int value) {
        this.size = value;
        return this;
    }

    public byte[] build() {
        int end = headersEnd();
        for (Object[] p : payloads) {
            end = (int) Math.max(end, (long) p[0] + ((byte[]) p[1]).length);
        }
        ByteBuffer b = ByteBuffer.allocate(Math.max(end, ehsize()))
                .order(data == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.put(0, magic);
        b.put(4, (byte) elfClass);
        b.put(5, (byte) data);
        b.put(6, (byte) 1); // EI_VERSION
        b.putShort(16, (short) 2); // ET_EXEC
        b.putShort(18, (short) 164); // EM_QDSP6, as ath11k firmware
        b.putInt(20, 1);
        if (elf64) {
            b.putLong(32, phoff);
            b.putLong(40, shoff);
            b.putShort(52, (short) ehsize());
            b.putShort(54, (short) phentsize);
            b.putShort(56, (short) (phnum == null ? phdrs.size() : phnum));
            b.putShort(58, (short) shentsize);
            b.putShort(60, (short) shnum);
        } else {
            b.putInt(28, (int) phoff);
            b.putInt(32, (int) shoff);
            b.putShort(40, (short) ehsize());
            b.putShort(42, (short) phentsize);
            b.putShort(44, (short) (phnum == null ? phdrs.size() : phnum));
            b.putShort(46, (short) shentsize);
            b.putShort(48, (short) shnum);
        }
        for (int i = 0; i < phdrs.size(); i++) {
            long[] p = phdrs.get(i);
            int at = ehsize() + i * (elf64 ? 56 : 32);
            if (elf64) {
                b.putInt(at, (int) p[0]).putInt(at + 4, (int) p[1]).putLong(at + 8, p[2])
                        .putLong(at + 16, p[3]).putLong(at + 24, p[3]).putLong(at + 32, p[4]).putLong(at + 40, p[5]);
            } else {
                b.putInt(at, (int) p[0]).putInt(at + 4, (int) p[2]).putInt(at + 8, (int) p[3])
                        .putInt(at + 12, (int) p[3]).putInt(at + 16, (int) p[4]).putInt(at + 20, (int) p[5])
                        .putInt(at + 24, (int) p[1]);
            }
        }
        for (Object[] p : payloads) {
            b.put((int) (long) p[0], (byte[]) p[1]);
        }
        byte[] out = b.array();
        return size == null ? out : java.util.Arrays.copyOf(out, size);
    }
}
