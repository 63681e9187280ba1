package dev.mdtload.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately separate, minimal ELF32 + hash-segment reader over a byte array, written from
 * the firmware README and mbn-hash-segment.md rather than from the code under test. Tests use it
 * to find the bytes to mutate and to compute expected digests independently.
 */
public record RawElf(byte[] bytes, int phoff, int ehsize, List<Phdr> phdrs) {

    /** One Elf32_Phdr, fields widened to long. */
    public record Phdr(int index, long type, long offset, long paddr, long filesz, long memsz, long flags) {
        public int qcomType() {
            return (int) ((flags >>> 24) & 7);
        }

        /** QCOM type 2: the hash segment. */
        public boolean isHash() {
            return qcomType() == 2;
        }

        /** What the kernel loads (kernel-facts.md §2): PT_LOAD, not the hash segment, p_memsz > 0. */
        public boolean isLoadable() {
            return type == 1 && !isHash() && memsz != 0;
        }

        public long end() {
            return offset + filesz;
        }
    }

    public static RawElf read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b[4] != 1) {
            throw new IllegalArgumentException(file + " is not ELF32");
        }
        int phoff = le.getInt(28);
        int ehsize = Short.toUnsignedInt(le.getShort(40));
        int phnum = Short.toUnsignedInt(le.getShort(44));
        List<Phdr> phdrs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = phoff + 32 * i;
            phdrs.add(new Phdr(i, u32(le, at), u32(le, at + 4), u32(le, at + 12), u32(le, at + 16),
                    u32(le, at + 20), u32(le, at + 24)));
        }
        return new RawElf(b, phoff, ehsize, phdrs);
    }

    /** File offset of field {@code fieldOffset} (0 = p_type, 4 = p_offset, ... 28 = p_align) of phdr {@code index}. */
    public int phdrFieldOffset(int index, int fieldOffset) {
        return phoff + 32 * index + fieldOffset;
    }

    public Phdr hashPhdr() {
        return phdrs.stream().filter(Phdr::isHash).findFirst().orElseThrow();
    }

    /** The digest table entries of the hash segment whose bytes are {@code hash}, per the README's layout. */
    public static List<byte[]> digestTable(byte[] hash) {
        ByteBuffer le = ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN);
        int length = le.getInt(4) >= 6 ? 48 : 32;
        int tableStart = digestTableOffset(hash);
        int tableSize = (int) u32(le, 20);
        List<byte[]> table = new ArrayList<>();
        for (int at = tableStart; at < tableStart + tableSize; at += length) {
            table.add(Arrays.copyOfRange(hash, at, at + length));
        }
        return table;
    }

    /**
     * Offset of the digest table inside the hash segment: after the 40-byte v3/v5 header, the
     * 48-byte v6 header and its QTI + OEM metadata, or the 64-byte v7 header and its metadata
     * (sizes at 12 and 16; mbn-hash-segment.md).
     */
    public static int digestTableOffset(byte[] hash) {
        ByteBuffer le = ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN);
        return (int) switch (le.getInt(4)) {
            case 6 -> 48 + u32(le, 40) + u32(le, 44);
            case 7 -> 64 + u32(le, 12) + u32(le, 16);
            default -> 40;
        };
    }

    /** Where the digest table ends: the bytes before it are the signed ones (docs/signatures.md). */
    public static int digestTableEnd(byte[] hash) {
        return digestTableOffset(hash) + (int) u32(ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN), 20);
    }

    /** The OEM signature field: after the table and any v5+ QTI signature and chain. */
    public static byte[] signature(byte[] hash) {
        ByteBuffer le = ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN);
        int at = digestTableEnd(hash) + qtiSizes(le);
        return Arrays.copyOfRange(hash, at, at + (int) u32(le, le.getInt(4) == 7 ? 32 : 28));
    }

    /** The OEM certificate-chain field, padding included. */
    public static byte[] certChain(byte[] hash) {
        ByteBuffer le = ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN);
        int at = digestTableEnd(hash) + qtiSizes(le) + signature(hash).length;
        return Arrays.copyOfRange(hash, at, at + (int) u32(le, 36));
    }

    private static int qtiSizes(ByteBuffer le) {
        return (int) switch (le.getInt(4)) {
            case 5, 6 -> u32(le, 8) + u32(le, 12);
            case 7 -> u32(le, 24) + u32(le, 28);
            default -> 0;
        };
    }

    /** End of the ELF header and program-header table. */
    public int headersEnd() {
        return phoff + 32 * phdrs.size();
    }

    /**
     * The hash segment's bytes: at its p_offset, or, in a split .mdt too short for that, right
     * after the headers, where the real split sets keep it.
     */
    public byte[] hashSegment() {
        Phdr h = hashPhdr();
        long at = h.end() <= bytes.length ? h.offset() : headersEnd();
        return Arrays.copyOfRange(bytes, (int) at, (int) (at + h.filesz()));
    }

    public static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static long u32(ByteBuffer le, int at) {
        return Integer.toUnsignedLong(le.getInt(at));
    }
}
