package dev.mdtload.image;

import dev.mdtload.crypto.FileRegion;

import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One file of an image, open and mapped ({@link OpenFiles}).
 *
 * @param name  what messages call the file
 * @param bytes all of the file as it was mapped ({@link MemorySegment#NULL} when it is empty)
 */
record OpenFile(Path name, FileChannel channel, MemorySegment bytes) {
    long size() {
        return bytes.byteSize();
    }

    /** The {@code length} bytes at {@code offset}: mapped, and as a region for digests to read. */
    ImageSegment.Bytes.Read read(long offset, long length) {
        return new ImageSegment.Bytes.Read(name, bytes.asSlice(offset, length), new FileRegion(channel, offset, length));
    }
}
