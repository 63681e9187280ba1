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
    private final Carveouts.Base base;

    /** {@code base}: where the carveout was found or placed; {@link Carveouts.Base.Own} when it has no physical address. */
    MappedCarveout(Mapping mapping, Carveouts.Base base) {
        this.mapping = mapping;
        this.base = base;
    }

    /** The spec and, where it adds something, the device behind it. */
    abstract String source();

    final Mapping mapping() {
        return mapping;
    }

    public final Optional<PhysAddr> physBase() {
        return switch (base) {
            case Carveouts.Base.Given given -> Optional.of(given.addr());
            case Carveouts.Base.Own ignored -> Optional.empty();
        };
    }

    public final MemorySegment memory() {
        return mapping.memory();
    }

    public final void store(MemorySegment bytes, long offset) throws IOException {
        mapping.store(bytes, offset);
    }

    public void flush() throws PosixException {
        mapping.flush();
    }

    public final void close() throws IOException, PosixException {
        mapping.close();
    }

    public final String describe() {
        String where = switch (base) {
            case Carveouts.Base.Given given -> "at " + given.addr();
            case Carveouts.Base.Own ignored -> "with no physical address";
        };
        return String.format("%s: 0x%x bytes %s", source(), mapping.memory().byteSize(), where);
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Takes the advisory lock that keeps two mdtload runs off one carveout. Non-blocking: a second
     * run is told at once rather than left waiting for the first to finish a load.
     */
    static void lockExclusively(Fd fd, String carveout) throws IOException, PosixException {
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
