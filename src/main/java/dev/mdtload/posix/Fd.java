package dev.mdtload.posix;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open file descriptor and the path it stands for (used in error messages). Closing is
 * idempotent so that an fd number, which the kernel reuses at once, is never closed twice.
 */
public final class Fd implements AutoCloseable {
    private final int value;
    private final Path path;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Fd(int value, Path path) {
        if (value < 0) {
            throw new IllegalArgumentException("fd " + value + " for " + path + " is negative");
        }
        this.value = value;
        this.path = path;
    }

    /**
     * Takes ownership of a descriptor that a call handed back through memory rather than as its
     * return value (a dma-buf fd inside an ioctl's struct).
     */
    public static Fd adopt(int value, Path path) {
        return new Fd(value, path);
    }

    public int value() {
        if (!open.get()) {
            throw new IllegalStateException("fd " + value + " (" + path + ") is already closed");
        }
        return value;
    }

    public Path path() {
        return path;
    }

    /** The name by which any process may open the same file again while this fd is open. */
    public Path procPath() {
        return Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd", Integer.toString(value));
    }

    @Override
    public void close() throws PosixException {
        if (open.compareAndSet(true, false)) {
            Libc.close(value, path);
        }
    }

    @Override
    public String toString() {
        return "fd " + value + " (" + path + ")";
    }
}
