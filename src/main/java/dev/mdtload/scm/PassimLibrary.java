package dev.mdtload.scm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The FFM bindings of libpassim (native-stubs/passim.h), the simulated secure world: one handle
 * per function, each wrapped once here with its return value checked. Not libc, so not in the
 * posix package. Loading happens on first use; {@link SimSecureMonitor#library()} has checked by
 * then that the library exists, so a failure here is a broken build, not a missing one.
 */
// Binding native functions is a restricted operation; this class is the one place the sim does it.
@SuppressWarnings("restricted")
final class PassimLibrary {
    private PassimLibrary() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBRARY = load();

    private static final MethodHandle SIM_ATTACH = handle("sim_attach",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle SIM_SMC = handle("sim_smc",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIM_LEGACY = handle("sim_legacy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle SIM_RESET = handle("sim_reset",
            FunctionDescriptor.ofVoid());
    private static final MethodHandle SIM_STATE = handle("sim_state",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SIM_CALLS = handle("sim_calls",
            FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle SIM_EL2 = handle("sim_el2",
            FunctionDescriptor.ofVoid(JAVA_INT));
    private static final MethodHandle SIM_REFUSAL = handle("sim_refusal",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SIM_STRERROR = handle("sim_strerror",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    /** sim_smc's res[]: a0..a3. */
    private static final int RESULTS = 4;
    private static final int ERROR_TEXT = 128;
    private static final int REFUSAL_TEXT = 512;
    /** Room enough for the name of the libc call sim_attach reports. */
    private static final int CALL_NAME = 16;

    private static SymbolLookup load() {
        try {
            return SymbolLookup.libraryLookup(SimSecureMonitor.library(), Arena.global());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static MethodHandle handle(String symbol, FunctionDescriptor descriptor) {
        MemorySegment address = LIBRARY.find(symbol).orElseThrow(() -> new IllegalStateException(
                "libpassim has no symbol " + symbol + ": rebuild it with make"));
        return LINKER.downcallHandle(address, descriptor);
    }

    /**
     * sim_attach(): -errno becomes an exception naming the range and the file, and the call that
     * failed in the posix form ({@code mmap(/dev/mem) failed: EINVAL (...)}) when one did.
     */
    static void attach(long phys, long size, String path, long offset) throws IOException {
        int rc;
        String failedCall;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment call = arena.allocate(ADDRESS);
            rc = downcall(() -> (int) SIM_ATTACH.invokeExact(phys, size, arena.allocateFrom(path), offset, call));
            MemorySegment name = call.get(ADDRESS, 0);
            // a static C string of the library's, such as "mmap"
            failedCall = name.equals(MemorySegment.NULL) ? null : name.reinterpret(CALL_NAME).getString(0);
        }
        if (rc != 0) {
            String range = String.format("sim_attach(%s at phys 0x%x +0x%x)", path, phys, size);
            throw new IOException(failedCall == null ? range + " failed: " + strerror(-rc)
                    : range + ": " + failedCall + "(" + path + ") failed: " + strerror(-rc));
        }
    }

    /** sim_smc(): the registers in, a0..a3 out. */
    static ScmResult smc(long[] registers) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocateFrom(JAVA_LONG, registers);
            MemorySegment res = arena.allocate(JAVA_LONG, RESULTS);
            check("sim_smc", downcall(() -> (int) SIM_SMC.invokeExact(a, res)));
            // the kernel reads a0 as an int (qcom_scm_remap_error takes one), for both widths
            return new ScmResult((int) res.getAtIndex(JAVA_LONG, 0), res.getAtIndex(JAVA_LONG, 1),
                    res.getAtIndex(JAVA_LONG, 2), res.getAtIndex(JAVA_LONG, 3));
        }
    }

    /** sim_legacy(): the secure world answers in {@code command} itself; returns the status. */
    static int legacy(MemorySegment command) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment res = arena.allocate(JAVA_LONG, RESULTS);
            int length = Math.toIntExact(command.byteSize());
            check("sim_legacy", downcall(() -> (int) SIM_LEGACY.invokeExact(command, length, res)));
            return (int) res.getAtIndex(JAVA_LONG, 0);
        }
    }

    static void reset() {
        downcall(() -> {
            SIM_RESET.invokeExact();
            return null;
        });
    }

    /** sim_state(): the peripheral's state number, or an exception for an id the service does not have. */
    static int state(int pasId) {
        int state = downcall(() -> (int) SIM_STATE.invokeExact(pasId));
        if (state < 0) {
            throw new IllegalArgumentException("pas id " + Integer.toUnsignedLong(pasId)
                    + " is not one the simulated secure world has: " + strerror(-state));
        }
        return state;
    }

    /** sim_el2(): whether the OS runs at EL2 with no hypervisor (until the next reset). */
    static void el2(boolean on) {
        downcall(() -> {
            SIM_EL2.invokeExact(on ? 1 : 0);
            return null;
        });
    }

    /** sim_refusal(): why the last call was refused by a check of the simulation's own, or "". */
    static String refusal() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(REFUSAL_TEXT);
            check("sim_refusal", downcall(() -> (int) SIM_REFUSAL.invokeExact(text, REFUSAL_TEXT)));
            return text.getString(0);
        }
    }

    static long calls() {
        return downcall(() -> (long) SIM_CALLS.invokeExact());
    }

    /** "ENOENT (No such file or directory)", from the C library's own tables. */
    static String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(ERROR_TEXT);
            int rc = downcall(() -> (int) SIM_STRERROR.invokeExact(errno, text, ERROR_TEXT));
            return rc == 0 ? text.getString(0) : "errno " + errno;
        }
    }

    /** The simulator's own failures (as opposed to a secure-world status) mean a caller bug here. */
    private static void check(String function, int rc) {
        if (rc != 0) {
            throw new IllegalStateException(function + " failed: " + strerror(-rc));
        }
    }

    @FunctionalInterface
    private interface Downcall<T> {
        T call() throws Throwable;
    }

    /** Makes one downcall; the one place its declared Throwable is dealt with. */
    private static <T> T downcall(Downcall<T> downcall) {
        try {
            return downcall.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            // downcall handles declare Throwable but native code cannot throw a checked exception
            throw new AssertionError("checked exception from a downcall", impossible);
        }
    }
}
