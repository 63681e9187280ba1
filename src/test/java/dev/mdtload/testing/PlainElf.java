package dev.mdtload.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A reader written for the tests from the ELF specification and the hash-segment facts in
 * ../shared/docs, sharing no code with the reader under test, so the two can check each other.
 */
public record PlainElf(boolean is64, int ehsize, long phoff, int phentsize, List<Phdr> phdrs) {

    public record Phdr(int index, long type, long flags, long offset, long paddr, long filesz, long memsz) {
        public boolean isHash() {
            return ((flags >>> 24) & 7) == 2;
        }

        public long end() {
            return offset + filesz;
        }
    }

    public static PlainElf parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x464c457f) {
            throw new IllegalArgumentException("not ELF");
        }
        boolean is64 = file[4] == 2;
        long phoff = is64 ? b.getLong(32) : Integer.toUnsignedLong(b.getInt(28));
        int ehsize = Short.toUnsignedInt(b.getShort(is64 ? 52 : 40));
        int phentsize = Short.toUnsignedInt(b.getShort(is64 ? 54 : 42));
        int phnum = Short.toUnsignedInt(b.getShort(is64 ? 56 : 44));
        List<Phdr> phdrs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            phdrs.add(is64
                    ? new Phdr(i, u32(b, at), u32(b, at + 4), b.getLong(at + 8), b.getLong(at + 24),
                            b.getLong(at + 32), b.getLong(at + 40))
                    : new Phdr(i, u32(b, at), u32(b, at + 24), u32(b, at + 4), u32(b, at + 12),
                            u32(b, at + 16), u32(b, at + 20)));
        }
        return new PlainElf(is64, ehsize, phoff, phentsize, phdrs);
    }

    public long headersEnd() {
        return phoff + (long) phentsize * phdrs.size();
    }

    public Phdr hashPhdr() {
        return phdrs.stream().filter(Phdr::isHash).findFirst().orElseThrow();
    }

    /**
     * The hash segment of a whole file: at its p_offset, or, in a split .mdt too short for that,
     * right after the headers (as the real split sets store it).
     */
    public byte[] hashSegment(byte[] file) {
        Phdr h = hashPhdr();
        long at = h.end() <= file.length ? h.offset() : headersEnd();
        return Arrays.copyOfRange(file, (int) at, (int) (at + h.filesz()));
    }

    /** Where the digest table of a hash segment ends: header, v6/v7 metadata, table. Bytes before it are signed. */
    public static int tableEnd(byte[] hashSegment) {
        ByteBuffer b = ByteBuffer.wrap(hashSegment).order(ByteOrder.LITTLE_ENDIAN);
        return tableStart(b) + b.getInt(20);
    }

    /** The OEM signature field: after the table and any v5+ QTI signature and chain. */
    public static byte[] signature(byte[] hashSegment) {
        ByteBuffer b = ByteBuffer.wrap(hashSegment).order(ByteOrder.LITTLE_ENDIAN);
        int at = tableEnd(hashSegment) + qtiSizes(b);
        int size = b.getInt(b.getInt(4) == 7 ? 32 : 28);
        return Arrays.copyOfRange(hashSegment, at, at + size);
    }

    /** The OEM certificate-chain field, padding included. */
    public static byte[] certChain(byte[] hashSegment) {
        ByteBuffer b = ByteBuffer.wrap(hashSegment).order(ByteOrder.LITTLE_ENDIAN);
        int at = tableEnd(hashSegment) + qtiSizes(b) + signature(hashSegment).length;
        return Arrays.copyOfRange(hashSegment, at, at + b.getInt(36));
    }

    private static int qtiSizes(ByteBuffer b) {
        return switch (b.getInt(4)) {
            case 5, 6 -> b.getInt(8) + b.getInt(12);
            case 7 -> b.getInt(24) + b.getInt(28);
            default -> 0;
        };
    }

    private static int tableStart(ByteBuffer b) {
        int version = b.getInt(4);
        return switch (version) {
            case 3, 5 -> 40;
            case 6 -> 48 + b.getInt(40) + b.getInt(44);
            case 7 -> 64 + b.getInt(12) + b.getInt(16);
            default -> throw new IllegalArgumentException("version " + version);
        };
    }

    /** The digest table of a hash segment, one entry per program header. */
    public static List<byte[]> digestTable(byte[] hashSegment, int phnum) {
        ByteBuffer b = ByteBuffer.wrap(hashSegment).order(ByteOrder.LITTLE_ENDIAN);
        int header = tableStart(b);
        int size = b.getInt(4) >= 6 ? 48 : 32;
        List<byte[]> table = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            table.add(Arrays.copyOfRange(hashSegment, header + i * size, header + (i + 1) * size));
        }
        return table;
    }

    public static byte[] digest(int length, byte[] bytes) {
        try {
            return MessageDigest.getInstance(length == 48 ? "SHA-384" : "SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
