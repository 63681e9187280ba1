package dev.mdtload.mbn;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DigestAlgorithmTest {

    @Test
    void forVersion_isSha256UpToV5AndSha384From6() {
        assertEquals(DigestAlgorithm.SHA256, DigestAlgorithm.forVersion(3));
        assertEquals(DigestAlgorithm.SHA256, DigestAlgorithm.forVersion(5));
        assertEquals(DigestAlgorithm.SHA384, DigestAlgorithm.forVersion(6));
        assertEquals(DigestAlgorithm.SHA384, DigestAlgorithm.forVersion(7));
        assertEquals(32, DigestAlgorithm.SHA256.length());
        assertEquals(48, DigestAlgorithm.SHA384.length());
    }

    @Test
    void digest_ofNativeMemoryEqualsTheJdkDigestOfTheSameBytes() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment off = arena.allocate(data.length);
            MemorySegment.copy(data, 0, off, ValueLayout.JAVA_BYTE, 0, data.length);
            for (DigestAlgorithm a : DigestAlgorithm.values()) {
                assertArrayEquals(MessageDigest.getInstance(a.jcaName()).digest(data), a.digest(off), a.jcaName());
                assertArrayEquals(MessageDigest.getInstance(a.jcaName()).digest(data), a.digest(MemorySegment.ofArray(data)));
            }
        }
    }

    @Test
    void emptyDigest_isTheWellKnownDigestOfNothing() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                HexFormat.of().formatHex(DigestAlgorithm.SHA256.emptyDigest()));
        assertEquals("38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
                HexFormat.of().formatHex(DigestAlgorithm.SHA384.emptyDigest()));
        assertArrayEquals(DigestAlgorithm.SHA384.emptyDigest(), DigestAlgorithm.SHA384.digest(MemorySegment.NULL));
    }

    @Test
    void of_followsATableOfTheOtherAlgorithmsSize_elseTheVersionsOwn() {
        // qca/msbtfw11.mbn: MBN v6, 3 program headers, a 96-byte table of SHA-256 digests
        assertEquals(DigestAlgorithm.SHA256, DigestAlgorithm.of(6, 96, 3));
        assertEquals(DigestAlgorithm.SHA384, DigestAlgorithm.of(6, 144, 3));
        assertEquals(DigestAlgorithm.SHA384, DigestAlgorithm.of(3, 5 * 48, 5));
        assertEquals(DigestAlgorithm.SHA256, DigestAlgorithm.of(3, 5 * 32, 5));
        // neither size: measured against the version's own, which then refuses it
        assertEquals(DigestAlgorithm.SHA384, DigestAlgorithm.of(6, 100, 3));
        assertEquals(DigestAlgorithm.SHA256, DigestAlgorithm.of(5, 0, 0));
    }
}
