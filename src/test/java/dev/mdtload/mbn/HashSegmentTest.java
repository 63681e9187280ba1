package dev.mdtload.mbn;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashSegmentTest {

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void parse_readsTheRealHashSegmentAsTheReadmeDescribesIt(RealImage image) throws Exception {
        byte[] bytes = image.segmentBytes(1);
        HashSegment hash = HashSegment.parse(MemorySegment.ofArray(bytes), image.phnum, image.fileName(), 1);

        assertEquals(image.mbnVersion, hash.version());
        assertEquals(image.digestAlgorithm, hash.algorithm().jcaName());
        assertEquals(image.mbnVersion >= 6 ? 48 : 40, hash.headerSize());
        assertEquals(image.signatureSize, hash.signature().length());
        assertEquals(image.certChainSize, hash.certChain().length());
        assertEquals(image.phnum, hash.digestCount());
        assertEquals(RawElf.digestTableOffset(bytes), hash.digestTable().offset());
        // signed bytes = the hash segment from its first byte to the end of the digest table
        assertEquals(RawElf.digestTableOffset(bytes) + (long) image.phnum * hash.algorithm().length(),
                hash.signedBytes().byteSize());
    }

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void digest_isTheHashOfEachSegmentsFileBytesOrZero(RealImage image) throws Exception {
        byte[] bytes = image.segmentBytes(1);
        HashSegment hash = HashSegment.parse(MemorySegment.ofArray(bytes), image.phnum, image.fileName(), 1);
        List<byte[]> table = RawElf.digestTable(bytes);
        for (RawElf.Phdr p : image.raw().phdrs()) {
            byte[] entry = hash.digest(p.index());
            assertArrayEquals(table.get(p.index()), entry, "entry " + p.index());
            if (p.isHash() || p.filesz() == 0) {
                assertTrue(HashSegment.isZero(entry), "entry " + p.index() + " must be all zeros");
            } else {
                assertArrayEquals(RawElf.digest(image.digestAlgorithm, image.segmentBytes(p.index())), entry,
                        "entry " + p.index());
            }
        }
    }

    /** A hash segment header of {@code size} bytes with the given u32 fields (offset, value pairs). */
    private static byte[] header(int size, long... offsetValue) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < offsetValue.length; i += 2) {
            b.putInt((int) offsetValue[i], (int) offsetValue[i + 1]);
        }
        return b.array();
    }

    private static Violation rejected(Rule rule, byte[] bytes, int phnum, String... values) {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> HashSegment.parse(MemorySegment.ofArray(bytes), phnum, "fw.mbn", 1));
        Violation v = e.violations().getFirst();
        assertEquals(rule, v.rule(), v::line);
        assertEquals(1, v.segment());
        for (String value : values) {
            assertTrue(v.message().contains(value), () -> "'" + v.message() + "' should name " + value);
        }
        return v;
    }

    @Test
    void parse_rejectsUnknownVersionNamingIt() {
        rejected(Rule.HASH_VERSION_UNSUPPORTED, header(40, 4, 4, 20, 96), 3, "version 4");
        rejected(Rule.HASH_VERSION_UNSUPPORTED, header(40, 4, 0xFFFF_FFFFL), 3, "4294967295");
    }

    @Test
    void parse_rejectsSegmentShorterThanItsHeader() {
        rejected(Rule.HASH_HEADER_TRUNCATED, new byte[6], 3, "6 bytes");
        // v6 needs 48 bytes: 40 is a whole v3/v5 header but not a v6 one
        rejected(Rule.HASH_HEADER_TRUNCATED, header(40, 4, 6), 3, "40 bytes", "v6", "48");
    }

    @Test
    void parse_rejectsTableThatIsNotOneDigestPerProgramHeader() {
        rejected(Rule.HASH_TABLE_SIZE_MISMATCH, header(40 + 64, 4, 3, 20, 64), 3, "64 bytes", "expected 96");
        rejected(Rule.HASH_TABLE_SIZE_MISMATCH, header(48 + 100, 4, 6, 20, 100), 3, "100 bytes", "expected 144");
    }

    @Test
    void parse_readsAV6TableOfSha256Digests_asQcaMsbtfw11HasIt() throws InvalidImageException {
        // 3 program headers, a 96-byte table: 3 SHA-256 digests, not 2 SHA-384 ones
        HashSegment h = HashSegment.parse(MemorySegment.ofArray(header(48 + 96, 4, 6, 20, 96)), 3, "msbtfw11.mbn", 1);
        assertEquals(DigestAlgorithm.SHA256, h.algorithm());
        assertEquals(3, h.digestCount());
    }

    @Test
    void parse_rejectsTableRunningPastTheSegment() {
        rejected(Rule.HASH_TABLE_OUT_OF_BOUNDS, header(40 + 95, 4, 3, 20, 96), 3, "136", "135-byte");
        // v6 metadata moves the table: 48 + 16 + 144 = 208 > 200
        rejected(Rule.HASH_TABLE_OUT_OF_BOUNDS, header(200, 4, 6, 20, 144, 40, 8, 44, 8), 3, "208", "200-byte");
    }

    @Test
    void parse_rejectsSignatureOrChainRunningPastTheSegment() {
        rejected(Rule.SIGNATURE_OUT_OF_BOUNDS, header(40 + 96 + 256, 4, 3, 20, 96, 28, 256, 36, 1), 3, "393");
        // v5: the QTI signature and chain (offsets 8 and 12) come before the OEM ones
        rejected(Rule.SIGNATURE_OUT_OF_BOUNDS, header(40 + 96 + 10, 4, 5, 20, 96, 8, 8, 12, 8), 3, "152");
    }

    @Test
    void parse_placesV5QtiRegionsBeforeOemRegions() throws Exception {
        byte[] bytes = header(40 + 96 + 1 + 2 + 3 + 4, 4, 5, 20, 96, 8, 1, 12, 2, 28, 3, 36, 4);
        HashSegment h = HashSegment.parse(MemorySegment.ofArray(bytes), 3, "fw.mbn", 1);
        assertEquals(new HashSegment.Region(40, 96), h.digestTable());
        assertEquals(new HashSegment.Region(136, 1), h.qtiSignature());
        assertEquals(new HashSegment.Region(137, 2), h.qtiCertChain());
        assertEquals(new HashSegment.Region(139, 3), h.signature());
        assertEquals(new HashSegment.Region(142, 4), h.certChain());
    }

    @Test
    void parse_readsV7SizesFromTheirOwnOffsets() throws Exception {
        // v7 (mbn-hash-segment.md): 64-byte header; metadata sizes at 12/16, table at 20,
        // QTI signature/chain at 24/28, OEM signature/chain at 32/36
        int table = 2 * 48;
        byte[] bytes = header(64 + 5 + 6 + table + 7 + 8 + 9 + 10,
                4, 7, 8, 24, 12, 5, 16, 6, 20, table, 24, 7, 28, 8, 32, 9, 36, 10);
        HashSegment h = HashSegment.parse(MemorySegment.ofArray(bytes), 2, "fw.mbn", 1);
        assertEquals(DigestAlgorithm.SHA384, h.algorithm());
        assertEquals(64, h.headerSize());
        assertEquals(new HashSegment.Region(64, 5), h.qtiMetadata());
        assertEquals(new HashSegment.Region(69, 6), h.oemMetadata());
        assertEquals(new HashSegment.Region(75, table), h.digestTable());
        assertEquals(new HashSegment.Region(75 + table, 7), h.qtiSignature());
        assertEquals(new HashSegment.Region(82 + table, 8), h.qtiCertChain());
        assertEquals(new HashSegment.Region(90 + table, 9), h.signature());
        assertEquals(new HashSegment.Region(99 + table, 10), h.certChain());
    }

    @Test
    void digest_returnsTheEntryAtItsIndex() throws Exception {
        byte[] bytes = header(40 + 96, 4, 3, 20, 96);
        for (int i = 0; i < 96; i++) {
            bytes[40 + i] = (byte) i;
        }
        HashSegment h = HashSegment.parse(MemorySegment.ofArray(bytes), 3, "fw.mbn", 1);
        assertEquals(32, h.digest(1).length);
        assertEquals(32, h.digest(1)[0]);
        assertEquals(95, h.digest(2)[31]);
        assertEquals(bytes[40 + 64], MemorySegment.ofArray(h.digest(2)).get(ValueLayout.JAVA_BYTE, 0));
    }
}
