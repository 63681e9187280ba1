package dev.mdtload.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The OpenSSL 3 libcrypto functions mdtload calls: the EVP message-digest interface, and the error
 * queue to say why a call failed. Every symbol is found once, by {@link #find}; the EVP functions
 * are bound then, the error queue's when a call has failed.
 *
 * <p>This is not in {@code posix}: that package is the one place libc is called, and libcrypto is a
 * different library with a different failure convention (0 or NULL, with the reason on OpenSSL's
 * own per-thread error queue rather than in errno). It may also be missing, which libc cannot be,
 * so the handles belong to an instance that {@link #load} returns only when every symbol was found,
 * instead of to static fields whose initialiser would fail the class.
 *
 * <p>EVP_DigestUpdate reads the caller's bytes where they are, in native memory; what it is given
 * is {@link DigestEngine.OpenSsl}'s choice.
 */
// Binding native functions and sizing the memory they return are restricted operations;
// this class is the one place mdtload does them for libcrypto.
@SuppressWarnings("restricted")
final class LibCrypto {
    /** The soname of OpenSSL 3's libcrypto, which the simulated secure world links too. */
    public static final String SONAME = "libcrypto.so.3";

    /** EVP_MAX_MD_SIZE from {@code <openssl/evp.h>}: room for any digest EVP_DigestFinal_ex writes. */
    static final int EVP_MAX_MD_SIZE = 64;

    private static final Linker LINKER = Linker.nativeLinker();

    // EVP_MD *EVP_MD_fetch(OSSL_LIB_CTX *ctx, const char *algorithm, const char *properties)
    private final MethodHandle evpMdFetch;
    // EVP_MD_CTX *EVP_MD_CTX_new(void)
    private final MethodHandle evpMdCtxNew;
    // void EVP_MD_CTX_free(EVP_MD_CTX *ctx)
    private final MethodHandle evpMdCtxFree;
    // int EVP_DigestInit_ex(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl)
    private final MethodHandle evpDigestInitEx;
    // int EVP_DigestUpdate(EVP_MD_CTX *ctx, const void *d, size_t cnt)
    private final MethodHandle evpDigestUpdate;
    // int EVP_DigestFinal_ex(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s)
    private final MethodHandle evpDigestFinalEx;
    // The error queue is read only when a call failed, so these two are bound then: each distinct
    // function type costs a cold JVM tens of milliseconds of generated code (issue 12). Their
    // symbols are looked up now, so that load() still answers for every function.
    // unsigned long ERR_get_error(void)
    private final MemorySegment errGetError;
    private static final FunctionDescriptor ERR_GET_ERROR = FunctionDescriptor.of(JAVA_LONG);
    // void ERR_error_string_n(unsigned long e, char *buf, size_t len)
    private final MemorySegment errErrorStringN;
    private static final FunctionDescriptor ERR_ERROR_STRING_N = FunctionDescriptor.ofVoid(JAVA_LONG, ADDRESS, JAVA_LONG);

    private LibCrypto(SymbolLookup library) {
        evpMdFetch = bind(library, "EVP_MD_fetch", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        evpMdCtxNew = bind(library, "EVP_MD_CTX_new", FunctionDescriptor.of(ADDRESS));
        evpMdCtxFree = bind(library, "EVP_MD_CTX_free", FunctionDescriptor.ofVoid(ADDRESS));
        evpDigestInitEx = bind(library, "EVP_DigestInit_ex", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        evpDigestUpdate = bind(library, "EVP_DigestUpdate", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        evpDigestFinalEx = bind(library, "EVP_DigestFinal_ex", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        errGetError = find(library, "ERR_get_error");
        errErrorStringN = find(library, "ERR_error_string_n");
    }

    /**
     * libcrypto opened by {@code soname} (dlopen's search), or empty when there is no such library
     * or it lacks one of the functions (an OpenSSL before 3.0 has no EVP_MD_fetch).
     */
    public static Optional<LibCrypto> load(String soname) {
        try {
            // the global arena: the library stays loaded for the process, as the handles need it
            return Optional.of(new LibCrypto(SymbolLookup.libraryLookup(soname, Arena.global())));
        } catch (IllegalArgumentException | UnsatisfiedLinkError missing) {
            return Optional.empty();
        }
    }

    /**
     * The algorithm by OpenSSL name ("SHA-256", "SHA-384"). Never freed: {@link DigestEngine.OpenSsl}
     * keeps one of each for the process, which is what OpenSSL's own fetch cache would do.
     */
    MemorySegment fetchDigest(String algorithm) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(algorithm);
            MemorySegment md = invoke(() -> (MemorySegment) evpMdFetch.invokeExact(MemorySegment.NULL, name, MemorySegment.NULL));
            if (md.equals(MemorySegment.NULL)) {
                throw failure("EVP_MD_fetch(" + algorithm + ")");
            }
            return md;
        }
    }

    /** A new digest context, to be freed with {@link #freeContext}. */
    MemorySegment newContext() {
        MemorySegment ctx = invoke(() -> (MemorySegment) evpMdCtxNew.invokeExact());
        if (ctx.equals(MemorySegment.NULL)) {
            throw failure("EVP_MD_CTX_new");
        }
        return ctx;
    }

    void freeContext(MemorySegment ctx) {
        invoke(() -> {
            evpMdCtxFree.invokeExact(ctx);
            return null;
        });
    }

    /** Starts (or restarts) {@code ctx} on algorithm {@code md}. */
    void init(MemorySegment ctx, MemorySegment md) {
        check(invoke(() -> (int) evpDigestInitEx.invokeExact(ctx, md, MemorySegment.NULL)), "EVP_DigestInit_ex");
    }

    /** Feeds every byte of {@code data}, which must be native memory, to {@code ctx}, where it lies. */
    void update(MemorySegment ctx, MemorySegment data) {
        check(invoke(() -> (int) evpDigestUpdate.invokeExact(ctx, data, data.byteSize())), "EVP_DigestUpdate");
    }

    /** The digest of everything fed to {@code ctx} since {@link #init}. */
    byte[] finish(MemorySegment ctx) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(EVP_MAX_MD_SIZE);
            MemorySegment length = arena.allocate(JAVA_INT);
            check(invoke(() -> (int) evpDigestFinalEx.invokeExact(ctx, out, length)), "EVP_DigestFinal_ex");
            return out.asSlice(0, length.get(JAVA_INT, 0)).toArray(JAVA_BYTE);
        }
    }

    /** EVP functions return 1 on success and 0 (or, for a few, -1) on failure. */
    private void check(int result, String operation) {
        if (result != 1) {
            throw failure(operation);
        }
    }

    /** The failure of {@code operation}, with the reason OpenSSL queued for this thread (and the queue emptied). */
    private CryptoException failure(String operation) {
        long first = nextError();
        String reason = first == 0 ? "no reason given" : errorString(first);
        while (nextError() != 0) {
            // the rest explain the first; leaving them would misattribute them to a later call
        }
        return new CryptoException(operation + " failed: " + reason);
    }

    /** The oldest error on this thread's queue, removed from it; 0 when the queue is empty. */
    long nextError() {
        MethodHandle handle = LINKER.downcallHandle(errGetError, ERR_GET_ERROR);
        return invoke(() -> (long) handle.invokeExact());
    }

    /** OpenSSL's text for an error code, e.g. "error:0308010C:digital envelope routines::unsupported". */
    String errorString(long code) {
        try (Arena arena = Arena.ofConfined()) {
            // ERR_error_string_n truncates to fit; 256 is the size of OpenSSL's own buffers for it
            MemorySegment buffer = arena.allocate(256);
            MethodHandle handle = LINKER.downcallHandle(errErrorStringN, ERR_ERROR_STRING_N);
            invoke(() -> {
                handle.invokeExact(code, buffer, buffer.byteSize());
                return null;
            });
            return buffer.getString(0);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws Throwable;
    }

    private static <T> T invoke(Call<T> call) {
        try {
            return call.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            // downcall handles throw nothing checked: invokeExact merely declares Throwable
            throw new AssertionError(impossible);
        }
    }

    /** The one way a function is bound: by symbol name, from the library {@link #load} opened. */
    private static MethodHandle bind(SymbolLookup library, String symbol, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(library, symbol), descriptor);
    }

    private static MemorySegment find(SymbolLookup library, String symbol) {
        return library.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError(SONAME + " has no symbol " + symbol));
    }
}
