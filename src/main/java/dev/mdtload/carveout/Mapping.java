package dev.mdtload.carveout;

import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A shared mapping of one descriptor, the arena that unmaps it and the descriptors that must stay
 * open as long as it does (the lock among them). Every carveout kind is one of these plus what it
 * knows about addresses.
 */
final class Mapping implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment memory;
    private final Fd fd;
    private final OpenFds owned;
    private final boolean pageCache;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Mapping(Arena arena, MemorySegment memory, Fd fd, OpenFds owned, boolean pageCache) {
        this.arena = arena;
        this.memory = memory;
        this.fd = fd;
        this.owned = owned;
        this.pageCache = pageCache;
    }

    /**
     * Maps {@code skip + size} bytes of {@code fd} from {@code offset} and keeps the last
     * {@code size}; takes over every descriptor in {@code fds} once the mapping exists. The skip
     * is for devices that only map from the start of a region (UIO).
     */
    static Mapping map(OpenFds fds, Fd fd, long offset, long skip, long size) throws IOException, PosixException {
        long length = skip + size;
        Path file = fd.procPath();
        boolean regular = Files.isRegularFile(file);
        requireLongEnough(file, fd.path(), offset + skip, offset + length);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole = Libc.mmap(fd, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, offset, arena);
            return new Mapping(arena, whole.asSlice(skip, size), fd, fds.transfer(), regular);
        } catch (PosixException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Touching a mapped page past the end of a file raises SIGBUS, which kills the JVM: a regular
     * file (a stand-in for a device) must hold bytes {@code [from, to)} before they are mapped.
     * Device nodes have no size to check.
     */
    static void requireLongEnough(Path file, Path named, long from, long to) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) < to) {
            throw new IOException(String.format("%s is %d bytes, too short for the carveout's bytes 0x%x..0x%x",
                    named, Files.size(file), from, to));
        }
    }

    MemorySegment memory() {
        return memory;
    }

    Fd fd() {
        return fd;
    }

    void flush() throws PosixException {
        if (pageCache) {
            // MS_ASYNC is what makes the stores visible to the file's readers (POSIX; Linux's page
            // cache is one with the mapping, so it returns at once). MS_SYNC would also wait for
            // the disk: durability, which a file standing in for RAM does not promise, and which
            // cost a 105 MiB load a third of a second (docs/benchmarks.md).
            Libc.msync(memory, Libc.MS_ASYNC);
        } else {
            // Device nodes (/dev/mem opened O_SYNC, UIO physical maps) are mapped uncached and
            // have no fsync, so msync fails with EINVAL there; ordering the stores is all it takes.
            VarHandle.fullFence();
        }
    }

    @Override
    public void close() throws IOException, PosixException {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        IOException failure = null;
        try {
            arena.close();
        } catch (UncheckedIOException e) {
            // munmap failed inside Arena.close(), which cannot throw checked exceptions.
            failure = e.getCause();
        }
        try {
            owned.close();
        } catch (PosixException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
        if (failure != null) {
            throw failure;
        }
    }
}
