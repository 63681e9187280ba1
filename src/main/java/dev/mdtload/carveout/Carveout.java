package dev.mdtload.carveout;

import dev.mdtload.address.PhysAddr;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Reserved memory mapped into this process: {@link #memory()} is exactly {@link #size()} bytes,
 * read-write, and valid until {@link #close()}, which unmaps it and releases the carveout's lock.
 * Open one with {@link Carveouts#open}.
 */
public sealed interface Carveout extends AutoCloseable
        permits FileCarveout, DevMemCarveout, UioCarveout, DmaHeapCarveout, MemfdCarveout {

    /**
     * A file that another process or library can map at {@code offset} to see the same bytes.
     * The path is made absolute, since the other process may run in another directory.
     */
    record Backing(Path path, long offset) {
        public Backing {
            path = Objects.requireNonNull(path, "path").toAbsolutePath();
            if (offset < 0) {
                throw new IllegalArgumentException("backing offset " + offset + " is negative");
            }
        }
    }

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

    Optional<Backing> backing();

    /** Makes every write so far visible to whoever reads the memory next (a device, the file). */
    void flush() throws IOException;

    /** Zeroes every byte, then flushes. */
    default void wipe() throws IOException {
        memory().fill((byte) 0);
        flush();
    }

    @Override
    void close() throws IOException;
}
