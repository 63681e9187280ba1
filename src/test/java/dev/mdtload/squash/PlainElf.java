package dev.mdtload.squash;

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
record PlainElf(boolean is64, int ehsize, long phoff, int phentsize, List<Phdr> phdrs) {

    record Phdr(int index, long type, long flags, long offset, long paddr, long filesz, long memsz) {
        boolean isHash() {
            return ((flags >>> 24) & 7) == 2;
        }

        long end() {
            return offset + filesz;
        }
    }

    static PlainElf parse(byte[] file) {
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

    long headersEnd() {
        return phoff + (long) phentsize * phdrs.size();
    }

    Phdr hashPhdr() {
        return phdrs.stream().filter(Phdr::isHash).findFirst().orElseThrow();
    }

    /** The digest table of a single-file image, one entry per program header. */
    static List<byte[]> digestTable(byte[] hashSegment, int phnum) {
        ByteBuffer b = ByteBuffer.wrap(hashSegment).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(4);
        int header = switch (version) {
            case 3, 5 -> 40;
            case 6 -> 48 + b.getInt(40) + b.getInt(44);
            case 7 -> 64 + b.getInt(12) + b.getInt(16);
            default -> throw new IllegalArgumentException("version " + version);
        };
        int size = version >= 6 ? 48 : 32;
        List<byte[]> table = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            table.add(Arrays.copyOfRange(hashSegment, header + i * size, header + (i + 1) * size));
        }
        return table;
    }

    static byte[] digest(int length, byte[] bytes) {
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
