package dev.mdtload.carveout;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.posix.Errno;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/** What every carveout kind does the same way: it is a {@link Mapping} plus addresses. */
abstract sealed class MappedCarveout permits FileCarveout, DevMemCarveout, UioCarveout, DmaHeapCarveout, MemfdCarveout {
    private final Mapping mapping;
    private final Optional<PhysAddr> physBase;

    MappedCarveout(Mapping mapping, Optional<PhysAddr> physBase) {
        this.mapping = mapping;
        this.physBase = physBase;
    }

    /** The spec and, where it adds something, the device behind it. */
    abstract String source();

    final Mapping mapping() {
        return mapping;
    }

    public final Optional<PhysAddr> physBase() {
        return physBase;
    }

    public final MemorySegment memory() {
        return mapping.memory();
    }

    public final void store(MemorySegment bytes, long offset) throws IOException {
        mapping.store(bytes, offset);
    }

    public void flush() throws IOException {
        mapping.flush();
    }

    public final void close() throws IOException {
        mapping.close();
    }

    public final String describe() {
        return String.format("%s: 0x%x bytes %s", source(), mapping.memory().byteSize(),
                physBase().map(p -> "at " + p).orElse("with no physical address"));
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Takes the advisory lock that keeps two mdtload runs off one carveout. Non-blocking: a second
     * run is told at once rather than left waiting for the first to finish a load.
     */
    static void lockExclusively(Fd fd, String carveout) throws IOException {
        try {
            Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB);
        } catch (PosixException e) {
            if (e.is(Errno.EWOULDBLOCK)) {
                throw new IOException("carveout " + carveout + " is in use by another mdtload (flock: EWOULDBLOCK)", e);
            }
            throw e;
        }
    }
}
