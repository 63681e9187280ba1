package dev.mdtload.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What computes a digest: "digest these bytes with algorithm X", X by the name JCA and OpenSSL
 * share ("SHA-256", "SHA-384"). Both engines give the same digests; they differ in speed from the
 * first byte. In a fresh JVM, MessageDigest runs interpreted until the JIT compiles its SHA loop
 * (20 to 25 MB/s over the first megabytes, issue 12), and getInstance alone costs tens of
 * milliseconds; libcrypto runs its assembly (SHA-NI where the CPU has it) from the first byte.
 */
public sealed interface DigestEngine permits DigestEngine.OpenSsl, DigestEngine.Jdk {

    /** The digest of every byte of {@code data}, read in place when it is native memory (a mapped file). */
    byte[] digest(String algorithm, MemorySegment data);

    /** libcrypto when this machine has OpenSSL 3, otherwise the JDK's providers. */
    static DigestEngine preferred() {
        return Preferred.ENGINE;
    }

    /** Chosen once per process: dlopen and the symbol lookups are not free. */
    final class Preferred {
        private Preferred() {}

        static final DigestEngine ENGINE = of(LibCrypto.SONAME);

        /** libcrypto by {@code soname}, or the JDK when it cannot be loaded. */
        static DigestEngine of(String soname) {
            return LibCrypto.load(soname).<DigestEngine>map(OpenSsl::new).orElseGet(Jdk::new);
        }
    }

    /**
     * OpenSSL's EVP interface; each algorithm is fetched once and kept for the process.
     *
     * <p>The bytes reach libcrypto through a small native buffer that Java copies them into,
     * not as the mapped file itself. A mapped file cut short after it was measured faults when a
     * page past its new end is read (SIGBUS). Java's copy raises that as an InternalError, which
     * validate reports as a part that changed; the same fault inside libcrypto would kill the
     * JVM. The copy costs little next to the hash: the buffer fits in the CPU's L2 cache, and the
     * bytes stay off the Java heap.
     */
    final class OpenSsl implements DigestEngine {
        /** 256 KiB: large enough that a call's overhead is nothing, small enough to stay in L2. */
        static final long STAGING = 256 << 10;

        private final LibCrypto libcrypto;
        private final Map<String, MemorySegment> fetched = new ConcurrentHashMap<>();

        OpenSsl(LibCrypto libcrypto) {
            this.libcrypto = libcrypto;
        }

        @Override
        public byte[] digest(String algorithm, MemorySegment data) {
            MemorySegment md = fetched.computeIfAbsent(algorithm, libcrypto::fetchDigest);
            MemorySegment ctx = libcrypto.newContext();
            try (Arena arena = Arena.ofConfined()) {
                libcrypto.init(ctx, md);
                MemorySegment buffer = arena.allocate(Math.min(STAGING, data.byteSize()));
                for (long off = 0; off < data.byteSize(); off += buffer.byteSize()) {
                    long n = Math.min(buffer.byteSize(), data.byteSize() - off);
                    MemorySegment.copy(data, off, buffer, 0, n);
                    libcrypto.update(ctx, buffer.asSlice(0, n));
                }
                return libcrypto.finish(ctx);
            } finally {
                libcrypto.freeContext(ctx);
            }
        }

        @Override
        public String toString() {
            return "libcrypto";
        }
    }

    /** The JDK's MessageDigest, for machines without OpenSSL 3. */
    final class Jdk implements DigestEngine {
        /** Mapped segments are fed through ByteBuffer views, which cannot exceed 2 GiB each. */
        private static final long CHUNK = 1L << 30;

        Jdk() {}

        @Override
        public byte[] digest(String algorithm, MemorySegment data) {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                // every Java SE platform must provide SHA-256 and SHA-384
                throw new AssertionError(algorithm + " missing from this JDK", e);
            }
            // a direct buffer is copied into the digest 4 KiB at a time (MessageDigestSpi), so
            // its SHA loop is called often enough to be compiled early without chunking here
            for (long off = 0; off < data.byteSize(); off += CHUNK) {
                md.update(data.asSlice(off, Math.min(CHUNK, data.byteSize() - off)).asByteBuffer());
            }
            return md.digest();
        }

        @Override
        public String toString() {
            return "JDK MessageDigest";
        }
    }
}
