package dev.mdtload.crypto;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every binding called for real against the machine's libcrypto. Expected digests are the
 * FIPS 180-2 test vectors ("abc"), not values taken from either engine.
 */
class LibCryptoTest {
    static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String ABC_SHA384 = "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            + "8086072ba1e7cc2358baeca134c825a7";

    private final LibCrypto libcrypto = LibCrypto.load(LibCrypto.SONAME).orElseThrow(
            () -> new AssertionError(LibCrypto.SONAME + " must be installed here: the simulated secure world links it"));

    private static MemorySegment text(Arena arena, String s) {
        return arena.allocateFrom(s).asSlice(0, s.length());
    }

    private String digest(String algorithm, String... pieces) {
        MemorySegment ctx = libcrypto.newContext();
        try (Arena arena = Arena.ofConfined()) {
            libcrypto.init(ctx, libcrypto.fetchDigest(algorithm));
            for (String piece : pieces) {
                libcrypto.update(ctx, text(arena, piece));
            }
            return HexFormat.of().formatHex(libcrypto.finish(ctx));
        } finally {
            libcrypto.freeContext(ctx);
        }
    }

    @Test
    void load_findsNothing_forALibraryThatIsNotThere() {
        assertTrue(LibCrypto.load("libmdtload-no-such-crypto.so.3").isEmpty());
    }

    @Test
    void fetchInitUpdateFinish_giveTheFipsDigestsOfAbc() {
        assertEquals(ABC_SHA256, digest("SHA-256", "abc"));
        assertEquals(ABC_SHA384, digest("SHA-384", "abc"));
    }

    @Test
    void update_continuesWhereTheLastOneStopped_andAnEmptyUpdateAddsNothing() {
        assertEquals(ABC_SHA256, digest("SHA-256", "a", "", "bc"));
    }

    @Test
    void init_restartsAContext_soNothingFedBeforeCounts() {
        MemorySegment ctx = libcrypto.newContext();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sha256 = libcrypto.fetchDigest("SHA-256");
            libcrypto.init(ctx, sha256);
            libcrypto.update(ctx, text(arena, "something else first"));
            libcrypto.init(ctx, sha256);
            libcrypto.update(ctx, text(arena, "abc"));
            assertEquals(ABC_SHA256, HexFormat.of().formatHex(libcrypto.finish(ctx)));
        } finally {
            libcrypto.freeContext(ctx);
        }
    }

    @Test
    void newContext_givesDistinctContexts_andFreeContextReleasesThem() {
        MemorySegment a = libcrypto.newContext();
        MemorySegment b = libcrypto.newContext();
        try {
            assertNotEquals(MemorySegment.NULL, a);
            assertNotEquals(a.address(), b.address());
        } finally {
            libcrypto.freeContext(a);
            libcrypto.freeContext(b);
        }
        // bound to another symbol, free would crash on (or corrupt the heap with) what new returns
        for (int i = 0; i < 100_000; i++) {
            libcrypto.freeContext(libcrypto.newContext());
        }
    }

    @Test
    void aFailedCall_namesTheOperationAndOpenSslsReason_andEmptiesTheErrorQueue() {
        CryptoException e = assertThrows(CryptoException.class, () -> libcrypto.fetchDigest("SHA-999"));
        assertTrue(e.getMessage().startsWith("EVP_MD_fetch(SHA-999) failed: error:"), e.getMessage());
        // OpenSSL 3's reason for an algorithm no provider offers
        assertTrue(e.getMessage().endsWith(":unsupported"), e.getMessage());
        assertEquals(0, libcrypto.nextError(), "the queue was drained");
    }

    @Test
    void errorString_isOpenSslsTextForACode() {
        // 0x0308010C: library 6 (EVP), reason 0x10C (unsupported), OpenSSL 3's best-known message
        assertEquals("error:0308010C:digital envelope routines::unsupported", libcrypto.errorString(0x0308010CL));
    }
}
