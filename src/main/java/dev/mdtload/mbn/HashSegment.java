package dev.mdtload.mbn;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The MBN hash segment (QCOM type 2): header, digest table and the signature and certificate
 * chains after it. Every region is given as an offset and length inside the segment, checked
 * to lie within it before this record exists; {@link #bytes()} is the segment itself.
 *
 * <p>Field positions per version are in {@code docs/} and {@code ../shared/docs/mbn-hash-segment.md};
 * the v5+ QTI signature and chain come before the OEM ones.
 */
public record HashSegment(
        MemorySegment bytes,
        int version,
        long imageId,
        DigestAlgorithm algorithm,
        int headerSize,
        Region qtiMetadata,
        Region oemMetadata,
        Region digestTable,
        Region qtiSignature,
        Region qtiCertChain,
        Region signature,
        Region certChain) {

    public static final List<Integer> VERSIONS = List.of(3, 5, 6, 7);
    /** Where every version keeps its version number: the one field a reader trusts before knowing the layout. */
    public static final int VERSION_OFFSET = 4;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A byte range inside the hash segment. */
    public record Region(long offset, long length) {
        public long end() {
            return offset + length;
        }

        public MemorySegment of(MemorySegment segment) {
            return segment.asSlice(offset, length);
        }
    }

    public static int headerSize(int version) {
        return switch (version) {
            case 3, 5 -> 40;
            case 6 -> 48;
            case 7 -> 64;
            default -> throw new IllegalArgumentException("MBN version " + version);
        };
    }

    /** The signed bytes: the hash segment from its first byte to the end of the digest table. */
    public MemorySegment signedBytes() {
        return bytes.asSlice(0, digestTable.end());
    }

    public int digestCount() {
        return (int) (digestTable.length() / algorithm.length());
    }

    public byte[] digest(int index) {
        return digestTable.of(bytes).asSlice((long) index * algorithm.length(), algorithm.length())
                .toArray(ValueLayout.JAVA_BYTE);
    }

    public static boolean isZero(byte[] digest) {
        for (byte b : digest) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the hash segment of program header {@code segment} of {@code file}.
     *
     * @param phnum the image's e_phnum: the table must hold exactly one digest per program header
     */
    public static HashSegment parse(MemorySegment bytes, int phnum, String file, int segment)
            throws InvalidImageException {
        long size = bytes.byteSize();
        if (size < 8) {
            throw fail(Rule.HASH_HEADER_TRUNCATED, file, segment, "hash segment is %d bytes, too short for a header", size);
        }
        int version = bytes.get(U32, VERSION_OFFSET);
        if (!VERSIONS.contains(version)) {
            throw fail(Rule.HASH_VERSION_UNSUPPORTED, file, segment, "MBN header version %d is not one of %s",
                    Integer.toUnsignedLong(version), VERSIONS);
        }
        int headerSize = headerSize(version);
        if (size < headerSize) {
            throw fail(Rule.HASH_HEADER_TRUNCATED, file, segment, "hash segment is %d bytes, shorter than its v%d header (%d)",
                    size, version, headerSize);
        }
        long imageId = u32(bytes, 0);
        long hashTableSize = u32(bytes, 20);
        DigestAlgorithm algorithm = DigestAlgorithm.of(version, hashTableSize, phnum);
        long qtiMetaSize;
        long oemMetaSize;
        long qtiSigSize;
        long qtiChainSize;
        long sigSize;
        long chainSize;
        switch (version) {
            case 3 -> {
                qtiMetaSize = 0;
                oemMetaSize = 0;
                qtiSigSize = 0;
                qtiChainSize = 0;
                sigSize = u32(bytes, 28);
                chainSize = u32(bytes, 36);
            }
            case 5, 6 -> {
                qtiMetaSize = version == 6 ? u32(bytes, 40) : 0;
                oemMetaSize = version == 6 ? u32(bytes, 44) : 0;
                qtiSigSize = u32(bytes, 8);
                qtiChainSize = u32(bytes, 12);
                sigSize = u32(bytes, 28);
                chainSize = u32(bytes, 36);
            }
            case 7 -> {
                qtiMetaSize = u32(bytes, 12);
                oemMetaSize = u32(bytes, 16);
                qtiSigSize = u32(bytes, 24);
                qtiChainSize = u32(bytes, 28);
                sigSize = u32(bytes, 32);
                chainSize = u32(bytes, 36);
            }
            // VERSIONS was checked above
            default -> throw new AssertionError(version);
        }
        // All sizes are u32, so the running sums below fit a long without wrapping.
        Region qtiMeta = new Region(headerSize, qtiMetaSize);
        Region oemMeta = new Region(qtiMeta.end(), oemMetaSize);
        Region table = new Region(oemMeta.end(), hashTableSize);
        long expected = (long) phnum * algorithm.length();
        if (hashTableSize != expected) {
            throw fail(Rule.HASH_TABLE_SIZE_MISMATCH, file, segment,
                    "hash table is %d bytes, expected %d (%d program headers x %d-byte %s)",
                    hashTableSize, expected, phnum, algorithm.length(), algorithm);
        }
        if (table.end() > size) {
            throw fail(Rule.HASH_TABLE_OUT_OF_BOUNDS, file, segment,
                    "metadata and hash table end at %d, past the %d-byte hash segment", table.end(), size);
        }
        Region qtiSig = new Region(table.end(), qtiSigSize);
        Region qtiChain = new Region(qtiSig.end(), qtiChainSize);
        Region sig = new Region(qtiChain.end(), sigSize);
        Region chain = new Region(sig.end(), chainSize);
        if (chain.end() > size) {
            throw fail(Rule.SIGNATURE_OUT_OF_BOUNDS, file, segment,
                    "signatures and certificate chains end at %d, past the %d-byte hash segment", chain.end(), size);
        }
        return new HashSegment(bytes, version, imageId, algorithm, headerSize, qtiMeta, oemMeta, table,
                qtiSig, qtiChain, sig, chain);
    }

    private static long u32(MemorySegment s, long at) {
        return Integer.toUnsignedLong(s.get(U32, at));
    }

    private static InvalidImageException fail(Rule rule, String file, int segment, String format, Object... args) {
        return new InvalidImageException(Violation.of(rule, file, segment, String.format(format, args)));
    }
}
