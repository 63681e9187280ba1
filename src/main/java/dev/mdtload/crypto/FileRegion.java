package dev.mdtload.crypto;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * {@code length} bytes of an open file from {@code offset}, which a digest reads with positional
 * reads (pread) into its own buffer rather than through a mapping of the file. Two reasons:
 * reading a mapping faults its pages in one by one and then copies them, about four times the
 * cost of pread for the same bytes (docs/benchmarks.md, fourth round); and a file cut short
 * under a mapping faults with SIGBUS, where a read merely comes up short.
 *
 * @param channel open for reading for as long as the region is digested
 */
public record FileRegion(FileChannel channel, long offset, long length) {
    public FileRegion {
        Objects.requireNonNull(channel, "channel");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("region of " + length + " bytes at offset " + offset);
        }
    }

    /**
     * Fills {@code buffer} with the region's bytes from {@code at}.
     *
     * @throws EOFException the file now ends before those bytes do: it was cut after it was measured
     */
    void read(long at, MemorySegment buffer) throws IOException {
        ByteBuffer window = buffer.asByteBuffer();
        while (window.hasRemaining()) {
            long position = offset + at + window.position();
            if (channel.read(window, position) < 0) {
                throw new EOFException("the file ends at byte " + position + ", inside the "
                        + length + " bytes from offset " + offset + " it had when it was opened");
            }
        }
    }
}
