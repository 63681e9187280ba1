package dev.mdtload.carveout;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.posix.PosixException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Reserved memory mapped into this process: {@link #memory()} is exactly {@link #size()} bytes,
 * read-write, and valid until {@link #close()}, which unmaps it and releases the carveout's lock.
 * Open one with {@link Carveouts#open}.
 */
public sealed interface Carveout extends AutoCloseable
        permits FileCarveout, DevMemCarveout, UioCarveout, DmaHeapCarveout, MemfdCarveout {

    /** One line for people: the spec, the size and the physical base. */
    String describe();

    MemorySegment memory();

    default long size() {
        return memory().byteSize();
    }

    /**
     * The physical address of byte 0, when there is one. Empty for a dma-heap buffer (userspace
     * never learns a dma-buf's physical address; it only has a DMA address once a device
     * attaches it) and for a file or memfd opened without one.
     */
    Optional<PhysAddr> physBase();

    /**
     * Copies all of {@code bytes} into {@code memory()} at {@code offset}, through the file where
     * the page cache holds the memory (faster than storing through the mapping, same bytes).
     * Reading {@code bytes} from a file cut short raises InternalError, as any read of it would.
     */
    void store(MemorySegment bytes, long offset) throws IOException;

    /**
     * Every byte read as zero when this run opened the memory, because the open made it: a file it
     * created (sized with ftruncate, so a hole), a memfd. A loader may then leave zero fill unstored
     * over bytes it has not written. False for anything that existed before (a file given again,
     * /dev/mem, a UIO map, a dma-buf), whose bytes are whatever was left there.
     */
    default boolean startedZeroed() {
        return false;
    }

    /** Makes every write so far visible to whoever reads the memory next (a device, the file). */
    void flush() throws PosixException;

    /** Zeroes every byte, then flushes. */
    default void wipe() throws PosixException {
        memory().fill((byte) 0);
        flush();
    }

    @Override
    void close() throws IOException, PosixException;
}
