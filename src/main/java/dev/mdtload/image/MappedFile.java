package dev.mdtload.image;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Read-only bytes of a whole file as a {@link MemorySegment} living in a caller's arena: mapped on
 * file systems that can map (the default one), read into native memory on those that cannot
 * (jimfs in tests), so the parser never sees the difference. A mapping that fails names the call
 * and the file, as the posix package's failures do (the JDK's message is errno's text alone).
 */
public final class MappedFile {
    private MappedFile() {}

    public static MemorySegment map(Path path, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return map(channel, path, arena);
        }
    }

    /** All of {@code channel}'s file ({@code path}, for messages), which stays open: the mapping does not need it to. */
    static MemorySegment map(FileChannel channel, Path path, Arena arena) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return MemorySegment.NULL;
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (UnsupportedOperationException notMappable) {
            return readFully(path, channel, size, arena);
        } catch (IOException e) {
            throw new IOException("mmap(" + path + ") failed: " + e.getMessage(), e);
        }
    }

    private static MemorySegment readFully(Path path, FileChannel channel, long size, Arena arena) throws IOException {
        MemorySegment copy = arena.allocate(size);
        long done = 0;
        while (done < size) {
            ByteBuffer window = copy.asSlice(done, Math.min(size - done, 1 << 30)).asByteBuffer();
            int n = channel.read(window, done);
            if (n < 0) {
                throw new IOException(path + ": file shrank while it was read");
            }
            done += n;
        }
        return copy;
    }
}
