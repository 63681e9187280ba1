package dev.mdtload.mbn;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a hash segment of MBN version 3, 5, 6 or 7 in the layout {@link HashSegment} reads
 * (field positions: ../shared/docs/mbn-hash-segment.md). The digests, metadata, signatures and
 * chains are given; this class only lays them out and fills the header's sizes and pointers the
 * way the real images do.
 *
 * @param version      3, 5, 6 or 7
 * @param imageId      the header's first word
 * @param destAddress  the hash segment's p_paddr; v3 and v6 headers point at their parts through it
 * @param digests      one entry per program header, in order (zeros for the hash segment itself)
 * @param qtiMetadata  v6/v7 QTI metadata bytes (empty before v6)
 * @param oemMetadata  v6/v7 OEM metadata bytes (empty before v6)
 * @param signature    the (OEM) signature field, including any padding
 * @param certChain    the (OEM) certificate chain field, including padding
 * @param commonMetadata v7 only: the 24 bytes of common metadata; null otherwise
 */
public record HashSegmentWriter(int version, long imageId, long destAddress, List<byte[]> digests,
                                byte[] qtiMetadata, byte[] oemMetadata, byte[] signature, byte[] certChain,
                                byte[] commonMetadata) {

    /** Marks a pointer field that real v5/v6 images leave unset. */
    private static final int NO_POINTER = 0xffffffff;
    public static final int V7_COMMON_METADATA_SIZE = 24;

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
        if ((version == 7) != (commonMetadata != null)
                || (commonMetadata != null && commonMetadata.length != V7_COMMON_METADATA_SIZE)) {
            throw new IllegalArgumentException("v7 and only v7 takes " + V7_COMMON_METADATA_SIZE + " bytes of common metadata");
        }
    }

    /** The v7 common metadata: major, minor, sw_id, secondary sw_id, hash algorithm (3 = SHA-384), measurement register. */
    public static byte[] v7CommonMetadata(long swId) {
        ByteBuffer b = ByteBuffer.allocate(V7_COMMON_METADATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).putInt(0).putInt((int) swId).putInt(0).putInt(3).putInt(0);
        return b.array();
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
        int header = HashSegment.headerSize(version);
        int table = tableSize();
        long bodyEnd = (long) header + qtiMetadata.length + oemMetadata.length + table;
        int imageSize = table + signature.length + certChain.length;
        ByteBuffer h = ByteBuffer.allocate(header).order(ByteOrder.LITTLE_ENDIAN);
        int tableAddress = (int) (destAddress + header + qtiMetadata.length + oemMetadata.length);
        switch (version) {
            case 3 -> h.putInt((int) imageId).putInt(3).putInt(0).putInt((int) (destAddress + header))
                    .putInt(imageSize).putInt(table)
                    .putInt(tableAddress + table).putInt(signature.length)
                    .putInt(tableAddress + table + signature.length).putInt(certChain.length);
            case 5, 6 -> {
                h.putInt((int) imageId).putInt(version).putInt(0).putInt(0)
                        .putInt(imageSize).putInt(table)
                        .putInt(NO_POINTER).putInt(signature.length)
                        .putInt(NO_POINTER).putInt(certChain.length);
                if (version == 6) {
                    h.putInt(qtiMetadata.length).putInt(oemMetadata.length);
                }
            }
            case 7 -> h.putInt((int) imageId).putInt(7).putInt(V7_COMMON_METADATA_SIZE)
                    .putInt(qtiMetadata.length).putInt(oemMetadata.length).putInt(table)
                    .putInt(0).putInt(0).putInt(signature.length).putInt(certChain.length)
                    .put(commonMetadata);
            // checked in the constructor
            default -> throw new AssertionError(version);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) bodyEnd + signature.length + certChain.length);
        out.writeBytes(h.array());
        out.writeBytes(qtiMetadata);
        out.writeBytes(oemMetadata);
        digests.forEach(out::writeBytes);
        out.writeBytes(signature);
        out.writeBytes(certChain);
        return out.toByteArray();
    }
}
