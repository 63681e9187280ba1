package dev.mdtload.carveout;

import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A shared mapping of one descriptor, the arena that unmaps it and the descriptors that must stay
 * open as long as it does (the lock among them). Every carveout kind is one of these plus what it
 * knows about addresses.
 */
final class Mapping implements AutoCloseable {
    /** What {@link #store} copies through at a time: the source's bytes pass through Java's copy first. */
    private static final long STAGING = 1 << 20;

    private final Arena arena;
    private final MemorySegment memory;
    private final Fd fd;
    /** Where byte 0 of {@link #memory} is in the file. */
    private final long fileOffset;
    private final OpenFds owned;
    private final boolean pageCache;
    /** Whether {@link #store} writes through the file: only for memory that is a file's page cache. */
    private final Writes writes;
    private final AtomicBoolean open = new AtomicBoolean(true);

    /**
     * How stores reach the memory. A regular file is not enough to tell: sysfs's PCI resource files
     * are regular files whose bytes are device memory, which takes no write(2) (EIO), so the
     * carveout kind says it.
     */
    enum Writes { THROUGH_FILE, STORES }

    private Mapping(Arena arena, MemorySegment memory, Fd fd, long fileOffset, OpenFds owned, boolean pageCache,
                    Writes writes) {
        this.arena = arena;
        this.memory = memory;
        this.fd = fd;
        this.fileOffset = fileOffset;
        this.owned = owned;
        this.pageCache = pageCache;
        this.writes = writes;
    }

    /**
     * Maps {@code skip + size} bytes of {@code fd} from {@code offset} and keeps the last
     * {@code size}; takes over every descriptor in {@code fds} once the mapping exists. The skip
     * is for devices that only map from the start of a region (UIO).
     */
    static Mapping map(OpenFds fds, Fd fd, long offset, long skip, long size) throws IOException, PosixException {
        return map(fds, fd, offset, skip, size, Writes.STORES);
    }

    /** As {@link #map(OpenFds, Fd, long, long, long)}, with stores written as {@code writes} says. */
    static Mapping map(OpenFds fds, Fd fd, long offset, long skip, long size, Writes writes)
            throws IOException, PosixException {
        long length = skip + size;
        Path file = fd.procPath();
        boolean regular = Files.isRegularFile(file);
        requireLongEnough(file, fd.path(), offset + skip, offset + length);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole = Libc.mmap(fd, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, offset, arena);
            return new Mapping(arena, whole.asSlice(skip, size), fd, offset + skip, fds.transfer(), regular, writes);
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

    /**
     * Copies {@code bytes} to {@code offset} of the memory. Memory the page cache holds (a
     * {@code file:} carveout, a memfd: {@link Writes#THROUGH_FILE}) is written through the file: a
     * store through a shared mapping takes a page fault per page, and on ext4 each of those
     * reserves its block and starts a journal handle: several times the CPU of a pwrite of the same
     * bytes (docs/bench/carveout-write-experiments-20261130.txt). Device memory is stored to.
     *
     * <p>The bytes pass through a native buffer by Java's own copy, as {@code MemorySegment.copy}
     * did: a source mapped from a file cut short still faults as an InternalError there, while
     * the kernel's copy would turn it into a write error indistinguishable from a full disk.
     */
    void store(MemorySegment bytes, long offset) throws IOException {
        if (writes == Writes.STORES) {
            MemorySegment.copy(bytes, 0, memory, offset, bytes.byteSize());
            return;
        }
        Objects.checkFromIndexSize(offset, bytes.byteSize(), memory.byteSize());
        try (Arena local = Arena.ofConfined();
             FileChannel file = FileChannel.open(fd.procPath(), StandardOpenOption.WRITE)) {
            MemorySegment staging = local.allocate(Math.min(STAGING, Math.max(1, bytes.byteSize())));
            for (long done = 0; done < bytes.byteSize(); ) {
                long n = Math.min(staging.byteSize(), bytes.byteSize() - done);
                MemorySegment.copy(bytes, done, staging, 0, n);
                ByteBuffer window = staging.asSlice(0, n).asByteBuffer();
                while (window.hasRemaining()) {
                    file.write(window, fileOffset + offset + done + window.position());
                }
                done += n;
            }
        }
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
