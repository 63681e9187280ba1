package dev.mdtload.mbn;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.mbn.HeaderLayout.Field;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The MBN hash segment (QCOM type 2): header, digest table and the signature and certificate
 * chains after it. Every region is given as an offset and length inside the segment, checked
 * to lie within it before this object exists; {@link #bytes()} is the segment itself. The only
 * way in is {@link #parse}, so a {@code HashSegment} that exists has passed every check.
 *
 * <p>Field positions per version are in {@link HeaderLayout} ({@code ../shared/docs/mbn-hash-segment.md});
 * the regions follow the header in the order metadata (QTI, OEM), digest table, QTI signature and
 * chain, OEM signature and chain.
 */
public final class HashSegment {

    public static final List<Integer> VERSIONS = HeaderLayout.VERSIONS;
    /** Where every version keeps its version number: the one field a reader trusts before knowing the layout. */
    public static final int VERSION_OFFSET = (int) HeaderLayout.VERSION_OFFSET;

    /** A byte range inside the hash segment. */
    public record Region(long offset, long length) {
        public long end() {
            return offset + length;
        }

        public MemorySegment of(MemorySegment segment) {
            return segment.asSlice(offset, length);
        }
    }

    private final MemorySegment bytes;
    private final HeaderLayout header;
    private final DigestAlgorithm algorithm;
    private final Region qtiMetadata;
    private final Region oemMetadata;
    private final Region digestTable;
    private final Region qtiSignature;
    private final Region qtiCertChain;
    private final Region signature;
    private final Region certChain;

    /**
     * Reads and checks the hash segment {@code bytes}: a known version, a whole header, a digest table
     * of one entry per program header, and every region inside the segment.
     */
    private HashSegment(MemorySegment bytes, int phnum, String file, int segment) throws InvalidImageException {
        long size = bytes.byteSize();
        if (size < VERSION_OFFSET + Integer.BYTES) {
            throw fail(Rule.HASH_HEADER_TRUNCATED, file, segment, "hash segment is %d bytes, too short for a header", size);
        }
        int version = bytes.get(Field.U32, VERSION_OFFSET);
        if (!VERSIONS.contains(version)) {
            throw fail(Rule.HASH_VERSION_UNSUPPORTED, file, segment, "MBN header version %d is not one of %s",
                    Integer.toUnsignedLong(version), VERSIONS);
        }
        HeaderLayout h = HeaderLayout.of(version);
        if (size < h.size()) {
            throw fail(Rule.HASH_HEADER_TRUNCATED, file, segment, "hash segment is %d bytes, shorter than its v%d header (%d)",
                    size, version, h.size());
        }
        long hashTableSize = h.get(bytes, Field.HASH_TABLE_SIZE);
        DigestAlgorithm algorithm = DigestAlgorithm.of(version, hashTableSize, phnum);
        // All sizes are u32, so the running sums below fit a long without wrapping.
        Region qtiMeta = new Region(h.size(), h.sizeOrZero(bytes, Field.QTI_METADATA_SIZE));
        Region oemMeta = new Region(qtiMeta.end(), h.sizeOrZero(bytes, Field.OEM_METADATA_SIZE));
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
        Region qtiSig = new Region(table.end(), h.sizeOrZero(bytes, Field.QTI_SIGNATURE_SIZE));
        Region qtiChain = new Region(qtiSig.end(), h.sizeOrZero(bytes, Field.QTI_CERT_CHAIN_SIZE));
        Region sig = new Region(qtiChain.end(), h.get(bytes, Field.SIGNATURE_SIZE));
        Region chain = new Region(sig.end(), h.get(bytes, Field.CERT_CHAIN_SIZE));
        if (chain.end() > size) {
            throw fail(Rule.SIGNATURE_OUT_OF_BOUNDS, file, segment,
                    "signatures and certificate chains end at %d, past the %d-byte hash segment", chain.end(), size);
        }
        this.bytes = bytes;
        this.header = h;
        this.algorithm = algorithm;
        this.qtiMetadata = qtiMeta;
        this.oemMetadata = oemMeta;
        this.digestTable = table;
        this.qtiSignature = qtiSig;
        this.qtiCertChain = qtiChain;
        this.signature = sig;
        this.certChain = chain;
    }

    /**
     * Parses the hash segment of program header {@code segment} of {@code file}.
     *
     * @param phnum the image's e_phnum: the table must hold exactly one digest per program header
     */
    public static HashSegment parse(MemorySegment bytes, int phnum, String file, int segment)
            throws InvalidImageException {
        return new HashSegment(bytes, phnum, file, segment);
    }

    public static int headerSize(int version) {
        return (int) HeaderLayout.of(version).size();
    }

    /** The hash segment's bytes, from its header to the end of its last region and beyond if padded. */
    public MemorySegment bytes() {
        return bytes;
    }

    public int version() {
        return header.version();
    }

    public long imageId() {
        return header.get(bytes, Field.IMAGE_ID);
    }

    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    public int headerSize() {
        return (int) header.size();
    }

    /** v6/v7 QTI metadata; empty before v6. */
    public Region qtiMetadata() {
        return qtiMetadata;
    }

    /** v6/v7 OEM metadata; empty before v6. */
    public Region oemMetadata() {
        return oemMetadata;
    }

    public Region digestTable() {
        return digestTable;
    }

    /** v5+ QTI signature; empty in v3. */
    public Region qtiSignature() {
        return qtiSignature;
    }

    /** v5+ QTI certificate chain; empty in v3. */
    public Region qtiCertChain() {
        return qtiCertChain;
    }

    /** The OEM signature (v3's only one). */
    public Region signature() {
        return signature;
    }

    /** The OEM certificate chain (v3's only one). */
    public Region certChain() {
        return certChain;
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

    private static InvalidImageException fail(Rule rule, String file, int segment, String format, Object... args) {
        return new InvalidImageException(Violation.of(rule, file, segment, String.format(format, args)));
    }
}
