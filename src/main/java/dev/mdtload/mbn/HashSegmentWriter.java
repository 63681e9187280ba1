package dev.mdtload.mbn;

import dev.mdtload.mbn.HeaderLayout.Field;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a hash segment of MBN version 3, 5, 6 or 7 through the {@link HeaderLayout} that
 * {@link HashSegment} reads. The digests, metadata, signatures and chains are given; this class
 * only lays them out and fills the header's sizes and pointers the way the real images do.
 *
 * @param version      3, 5, 6 or 7
 * @param imageId      the header's first word
 * @param destAddress  the hash segment's p_paddr; v3 headers point at their parts through it
 * @param digests      one entry per program header, in order (zeros for the hash segment itself)
 * @param qtiMetadata  v6/v7 QTI metadata bytes (empty before v6)
 * @param oemMetadata  v6/v7 OEM metadata bytes (empty before v6)
 * @param signature    the (OEM) signature field, including any padding
 * @param certChain    the (OEM) certificate chain field, including padding
 * @param swId         the v7 common metadata's sw_id; earlier headers have no such field (their
 *                     SW_ID is in the attestation certificate) and leave it out
 */
record HashSegmentWriter(int version, long imageId, long destAddress, List<byte[]> digests,
                                byte[] qtiMetadata, byte[] oemMetadata, byte[] signature, byte[] certChain,
                                long swId) {

    /** Marks a pointer field that real v5/v6 images leave unset. */
    private static final long NO_POINTER = 0xffff_ffffL;
    /** What v7's common_metadata_size says: the six u32 from major_version to measurement_register. */
    private static final long V7_COMMON_METADATA_SIZE = HeaderLayout.V7.size() - HeaderLayout.V7.offset(Field.MAJOR_VERSION);
    /** v7's hash_algorithm code for SHA-384, written by every v7 signer seen. */
    private static final long V7_SHA384 = 3;

    public HashSegmentWriter {
        if (!HashSegment.VERSIONS.contains(version)) {
            throw new IllegalArgumentException("MBN version " + version + " is not one of " + HashSegment.VERSIONS);
        }
        digests = List.copyOf(digests);
        // the version's own algorithm, or the other one for every entry (SecTools' v6 with SHA-256)
        int length = digests.isEmpty() ? DigestAlgorithm.forVersion(version).length() : digests.getFirst().length;
        for (byte[] d : digests) {
            if (d.length != length || Arrays.stream(DigestAlgorithm.values()).noneMatch(a -> a.length() == d.length)) {
                throw new IllegalArgumentException("digest of " + d.length + " bytes for MBN v" + version
                        + " (needs one length for all, of " + Arrays.toString(DigestAlgorithm.values()) + ")");
            }
        }
        if (version < 6 && (qtiMetadata.length > 0 || oemMetadata.length > 0)) {
            throw new IllegalArgumentException("MBN v" + version + " has no metadata fields");
        }
    }

    /** Bytes from the start of the segment to the end of the digest table: what gets signed. */
    public byte[] signedPart() {
        byte[] all = toBytes();
        int end = HashSegment.headerSize(version) + qtiMetadata.length + oemMetadata.length + tableSize();
        return Arrays.copyOf(all, end);
    }

    private int tableSize() {
        return digests.stream().mapToInt(d -> d.length).sum();
    }

    public byte[] toBytes() {
        HeaderLayout layout = HeaderLayout.of(version);
        int header = (int) layout.size();
        int table = tableSize();
        long bodyEnd = (long) header + qtiMetadata.length + oemMetadata.length + table;
        MemorySegment h = MemorySegment.ofArray(new byte[header]);
        for (Field f : Field.values()) {
            if (layout.has(f)) {
                layout.set(h, f, value(f, header, table));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) bodyEnd + signature.length + certChain.length);
        out.writeBytes(h.toArray(ValueLayout.JAVA_BYTE));
        out.writeBytes(qtiMetadata);
        out.writeBytes(oemMetadata);
        digests.forEach(out::writeBytes);
        out.writeBytes(signature);
        out.writeBytes(certChain);
        return out.toByteArray();
    }

    /**
     * What the real images hold in {@code field}. Only v3 fills its pointers (the table's, signature's
     * and chain's addresses once the segment sits at {@code destAddress}); v5 and v6 mark them unset,
     * and no image seen carries a QTI signature or chain.
     */
    private long value(Field field, int header, int table) {
        long tableAddress = destAddress + header + qtiMetadata.length + oemMetadata.length;
        return switch (field) {
            case IMAGE_ID -> imageId;
            case VERSION -> version;
            case IMAGE_SRC, QTI_SIGNATURE_SIZE, QTI_CERT_CHAIN_SIZE, MAJOR_VERSION, MINOR_VERSION, SECONDARY_SW_ID,
                 MEASUREMENT_REGISTER -> 0;
            case IMAGE_DEST_PTR -> destAddress + header;
            case IMAGE_SIZE -> (long) table + signature.length + certChain.length;
            case HASH_TABLE_SIZE -> table;
            case SIGNATURE_PTR -> version == 3 ? tableAddress + table : NO_POINTER;
            case SIGNATURE_SIZE -> signature.length;
            case CERT_CHAIN_PTR -> version == 3 ? tableAddress + table + signature.length : NO_POINTER;
            case CERT_CHAIN_SIZE -> certChain.length;
            case QTI_METADATA_SIZE -> qtiMetadata.length;
            case OEM_METADATA_SIZE -> oemMetadata.length;
            case COMMON_METADATA_SIZE -> V7_COMMON_METADATA_SIZE;
            case SW_ID -> swId;
            case HASH_ALGORITHM -> V7_SHA384;
        };
    }
}
