package dev.mdtload.crypto;

import java.io.IOException;
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

    /** The digest of every byte of {@code data}, copied a buffer at a time (a mapped carveout, an array). */
    default byte[] digest(String algorithm, MemorySegment data) {
        return digest(algorithm, data.byteSize(), (at, buffer) -> MemorySegment.copy(data, at, buffer, 0, buffer.byteSize()));
    }

    /**
     * The digest of the bytes of {@code region}, read from its file a buffer at a time.
     *
     * @throws IOException a read failed, or the file now ends before the region does
     */
    default byte[] digest(String algorithm, FileRegion region) throws IOException {
        return digest(algorithm, region.length(), region::read);
    }

    /** The digest of {@code size} bytes, which {@code fill} puts into the engine's buffer in order, a buffer at a time. */
    <X extends Exception> byte[] digest(String algorithm, long size, Fill<X> fill) throws X;

    /** Puts the bytes from {@code at} into all of {@code buffer}. */
    @FunctionalInterface
    interface Fill<X extends Exception> {
        void into(long at, MemorySegment buffer) throws X;
    }

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
     * <p>The bytes reach libcrypto through a native buffer of the engine's, never as a mapped
     * file itself: a mapped file cut short after it was measured faults when a page past its new
     * end is read (SIGBUS), which inside libcrypto would kill the JVM; a read or a Java copy
     * reports it instead. The buffer fits in the CPU's L2 cache, and the bytes stay off the Java heap.
     */
    final class OpenSsl implements DigestEngine {
        private final LibCrypto libcrypto;
        private final Map<String, MemorySegment> fetched = new ConcurrentHashMap<>();

        OpenSsl(LibCrypto libcrypto) {
            this.libcrypto = libcrypto;
        }

        @Override
        public <X extends Exception> byte[] digest(String algorithm, long size, Fill<X> fill) throws X {
            MemorySegment md = fetched.computeIfAbsent(algorithm, libcrypto::fetchDigest);
            MemorySegment ctx = libcrypto.newContext();
            try {
                libcrypto.init(ctx, md);
                MemorySegment buffer = Staging.buffer();
                for (long at = 0; at < size; at += buffer.byteSize()) {
                    MemorySegment chunk = buffer.asSlice(0, Math.min(buffer.byteSize(), size - at));
                    fill.into(at, chunk);
                    libcrypto.update(ctx, chunk);
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
        Jdk() {}

        @Override
        public <X extends Exception> byte[] digest(String algorithm, long size, Fill<X> fill) throws X {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                // every Java SE platform must provide SHA-256 and SHA-384
                throw new AssertionError(algorithm + " missing from this JDK", e);
            }
            MemorySegment buffer = Staging.buffer();
            for (long at = 0; at < size; at += buffer.byteSize()) {
                MemorySegment chunk = buffer.asSlice(0, Math.min(buffer.byteSize(), size - at));
                fill.into(at, chunk);
                md.update(chunk.asByteBuffer());
            }
            return md.digest();
        }

        @Override
        public String toString() {
            return "JDK MessageDigest";
        }
    }

    /**
     * Each thread's buffer that an engine's bytes pass through, made once: 256 KiB, large enough
     * that a call's overhead is nothing, small enough to stay in L2.
     */
    final class Staging {
        static final long SIZE = 256 << 10;
        private static final ThreadLocal<MemorySegment> BUFFER = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SIZE));

        private Staging() {}

        static MemorySegment buffer() {
            return BUFFER.get();
        }
    }
}
