package dev.mdtload.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc functions mdtload calls, for Linux on x86_64 and aarch64 (LP64: {@code size_t},
 * {@code off_t} and {@code unsigned long} are 64-bit). Each function is bound once, from its
 * symbol name, with errno captured by the linker right after the call (reading errno later
 * would see whatever the JVM did in between). Every result is checked; a failure becomes a
 * {@link PosixException} naming the call, the path and errno.
 */
// Binding native functions and sizing the memory they return are restricted operations;
// this class is the one place mdtload does them.
@SuppressWarnings("restricted")
public final class Libc {
    private Libc() {}

    // <fcntl.h>: equal on x86_64 and aarch64 except O_DIRECTORY (arm64 has its own fcntl.h).
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 02;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_SYNC = 04010000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_DIRECTORY = byArch(0200000, 040000);

    // <sys/mman.h>
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MS_ASYNC = 1;
    public static final int MS_SYNC = 4;
    public static final int MFD_CLOEXEC = 0x0001;

    // <sys/file.h>
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final long MAP_FAILED = -1L;

    // Each function is bound by its own holder class, on first use: a downcall handle is code the
    // JDK generates at run time, tens of milliseconds each in a cold JVM, and a command calls only
    // a few of these (issue 12).

    // int open(const char *pathname, int flags, ...): mode is variadic.
    private static final class Open {
        static final MethodHandle HANDLE = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class Close {
        static final MethodHandle HANDLE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Mmap {
        static final MethodHandle HANDLE = bind("mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class Munmap {
        static final MethodHandle HANDLE = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class Msync {
        static final MethodHandle HANDLE = bind("msync", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    // int ioctl(int fd, unsigned long request, ...): the argument is variadic.
    private static final class Ioctl {
        static final MethodHandle HANDLE = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class MemfdCreate {
        static final MethodHandle HANDLE = bind("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Flock {
        static final MethodHandle HANDLE = bind("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Ftruncate {
        static final MethodHandle HANDLE = bind("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class Fsync {
        static final MethodHandle HANDLE = bind("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Strerror {
        static final MethodHandle HANDLE = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    public static Fd open(Path path, int flags, int mode) throws PosixException {
        int fd = check("open", path,
                (arena, state) -> (int) Open.HANDLE.invokeExact(state, arena.allocateFrom(path.toString()), flags, mode));
        return new Fd(fd, path);
    }

    /** An anonymous file; its {@link Fd#path()} is {@code memfd:NAME}, as the kernel names it. */
    public static Fd memfdCreate(String name, int flags) throws PosixException {
        Path path = Path.of("memfd:" + name);
        int fd = check("memfd_create", path,
                (arena, state) -> (int) MemfdCreate.HANDLE.invokeExact(state, arena.allocateFrom(name), flags));
        return new Fd(fd, path);
    }

    static void close(int fd, Path path) throws PosixException {
        check("close", path, (arena, state) -> (int) Close.HANDLE.invokeExact(state, fd));
    }

    public static void ftruncate(Fd fd, long length) throws PosixException {
        check("ftruncate", fd.path(), (arena, state) -> (int) Ftruncate.HANDLE.invokeExact(state, fd.value(), length));
    }

    public static void fsync(Fd fd) throws PosixException {
        check("fsync", fd.path(), (arena, state) -> (int) Fsync.HANDLE.invokeExact(state, fd.value()));
    }

    public static void flock(Fd fd, int operation) throws PosixException {
        check("flock", fd.path(), (arena, state) -> (int) Flock.HANDLE.invokeExact(state, fd.value(), operation));
    }

    /** An ioctl whose argument is a pointer to {@code arg}; returns the call's non-negative result. */
    public static int ioctl(Fd fd, long request, MemorySegment arg) throws PosixException {
        return check("ioctl", fd.path(),
                (arena, state) -> (int) Ioctl.HANDLE.invokeExact(state, fd.value(), request, arg));
    }

    /**
     * Maps {@code length} bytes of {@code fd} from {@code offset}. The segment is exactly
     * {@code length} bytes and lives in {@code arena}: closing the arena unmaps it, so no access
     * can reach the pages after munmap.
     */
    public static MemorySegment mmap(Fd fd, long length, int prot, int flags, long offset, Arena arena) throws PosixException {
        MemorySegment start = call(about("mmap", fd.path()), s -> s.address() == MAP_FAILED,
                (scratch, state) -> (MemorySegment) Mmap.HANDLE.invokeExact(state, MemorySegment.NULL, length, prot, flags, fd.value(), offset));
        return start.reinterpret(length, arena, unmapped -> unmapOnClose(unmapped, length));
    }

    private static void unmapOnClose(MemorySegment start, long length) {
        try {
            munmap(start, length);
        } catch (PosixException e) {
            // Arena.close() runs cleanups that cannot throw checked exceptions, and the JDK's
            // unchecked carrier takes only an IOException: one with the same message
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    static void munmap(MemorySegment start, long length) throws PosixException {
        check("munmap", (arena, state) -> (int) Munmap.HANDLE.invokeExact(state, start, length));
    }

    /** Writes the mapped pages of {@code mapped} back to their file; with {@code MS_SYNC}, waits. */
    public static void msync(MemorySegment mapped, int flags) throws PosixException {
        check("msync", (arena, state) -> (int) Msync.HANDLE.invokeExact(state, mapped, mapped.byteSize(), flags));
    }

    /** The C library's description of an errno value, as perror(3) prints it. */
    public static String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = invoke((a, state) -> (MemorySegment) Strerror.HANDLE.invokeExact(state, errno),
                    arena, arena.allocate(CALL_STATE));
            // glibc returns a NUL-terminated string of unknown length.
            return text.reinterpret(Long.MAX_VALUE).getString(0);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T call(Arena arena, MemorySegment callState) throws Throwable;
    }

    /** Runs a call about the file {@code path} that returns -1 and sets errno on failure; returns its result otherwise. */
    private static int check(String operation, Path path, Call<Integer> call) throws PosixException {
        return check(about(operation, path), call);
    }

    /** Runs a call that returns -1 and sets errno on failure, named {@code name} if it fails ({@code msync}). */
    private static int check(String name, Call<Integer> call) throws PosixException {
        return call(name, result -> result == -1, call);
    }

    /** How a failure names a call about a file: {@code open(/dev/mem)}. */
    private static String about(String operation, Path path) {
        return operation + "(" + path + ")";
    }

    private static <T> T call(String name, Predicate<? super T> failed, Call<T> call) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            T result = invoke(call, arena, state);
            if (failed.test(result)) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new PosixException(name, errno, strerror(errno));
            }
            return result;
        }
    }

    private static <T> T invoke(Call<T> call, Arena arena, MemorySegment callState) {
        try {
            return call.call(arena, callState);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            // The calls only invoke downcall handles, which throw nothing checked:
            // invokeExact merely declares Throwable.
            throw new AssertionError(impossible);
        }
    }

    /** The one way a function is bound: by symbol name, always capturing errno. */
    private static MethodHandle bind(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = LINKER.defaultLookup().find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + symbol));
        Linker.Option[] all = Stream.concat(Stream.of(Linker.Option.captureCallState("errno")), Stream.of(options))
                .toArray(Linker.Option[]::new);
        return LINKER.downcallHandle(address, descriptor, all);
    }

    private static int byArch(int x86_64, int aarch64) {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> x86_64;
            case "aarch64" -> aarch64;
            default -> throw new UnsupportedOperationException(
                    "mdtload's libc constants are for Linux x86_64 and aarch64, not " + arch);
        };
    }
}
