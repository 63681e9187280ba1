package dev.mdtload.mbn;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The hash-segment sums (docs/limits.md): the header's u32 sizes added up to place the metadata,
 * the digest table, the signatures and the chains, and e_phnum times the digest length. With every
 * size at 2^32 - 1 a 32-bit sum would wrap to a small, "valid" value; here each must end as the
 * bounds rule of the region it breaks. Field offsets from ../shared/docs/mbn-hash-segment.md.
 */
class HashTableWrapTest {
    private static final int PHNUM = 3;
    private static final long U32_MAX = 0xffff_ffffL;

    private static byte[] segment(int version) {
        int length = DigestAlgorithm.forVersion(version).length();
        return new HashSegmentWriter(version, 0, 0x1000, Collections.nCopies(PHNUM, new byte[length]),
                new byte[0], new byte[0], new byte[8], new byte[8],
                0).toBytes();
    }

    private static void put(byte[] b, int offset, long u32) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, (int) u32);
    }

    private static Rule rule(byte[] b, int phnum) {
        return assertThrows(InvalidImageException.class, () -> HashSegment.parse(MemorySegment.ofArray(b), phnum, "wrap.mdt", 1)).rule();
    }

    @Test
    void parse_rejectsV6MetadataSizesThatWouldWrapTheTableOffset() {
        byte[] b = segment(6);
        put(b, 40, U32_MAX); // qti_metadata_size
        put(b, 44, U32_MAX); // oem_metadata_size: 48 + 2 x (2^32 - 1) wraps a u32 to 46
        assertEquals(Rule.HASH_TABLE_OUT_OF_BOUNDS, rule(b, PHNUM));
    }

    @Test
    void parse_rejectsV7MetadataSizesThatWouldWrapTheTableOffset() {
        byte[] b = segment(7);
        put(b, 12, U32_MAX);
        put(b, 16, U32_MAX);
        assertEquals(Rule.HASH_TABLE_OUT_OF_BOUNDS, rule(b, PHNUM));
    }

    @Test
    void parse_rejectsV5SignatureAndChainSizesThatWouldWrapTheirEnd() {
        byte[] b = segment(5);
        for (int offset : List.of(8, 12, 28, 36)) { // QTI signature, QTI chain, signature, chain
            put(b, offset, U32_MAX);
        }
        assertEquals(Rule.SIGNATURE_OUT_OF_BOUNDS, rule(b, PHNUM));
    }

    @Test
    void parse_rejectsV3ChainSizeThatWouldWrapBackIntoTheSegment() {
        byte[] b = segment(3);
        // table end + 8 + (2^32 - 8) is exactly 2^32 past the table: a u32 sum lands back on it
        put(b, 36, U32_MAX - 7);
        assertEquals(Rule.SIGNATURE_OUT_OF_BOUNDS, rule(b, PHNUM));
    }

    @Test
    void parse_rejectsTableSizeOfFourGiBForTheLargestPhnum() {
        byte[] b = segment(6);
        put(b, 20, U32_MAX);
        // 65535 x 48 = 3145680: computed in 64 bits, never equal to 2^32 - 1
        assertEquals(Rule.HASH_TABLE_SIZE_MISMATCH, rule(b, 0xffff));
    }

    @Test
    void parse_rejectsTableSizeThatMatchesOnlyIfPhnumTimesLengthWrapped() {
        byte[] b = segment(5);
        // 2^27 program headers x 32 bytes = 2^32, which wraps a u32 to 0: a table of 0 bytes must not match
        put(b, 20, 0);
        assertEquals(Rule.HASH_TABLE_SIZE_MISMATCH, rule(b, 1 << 27));
    }
}
