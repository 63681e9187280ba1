package dev.mdtload.carveout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Test bytes and the plain-Java reads that check what the mappings wrote. */
final class Bytes {
    private Bytes() {}

    static byte[] pattern(long length, int seed) {
        byte[] bytes = new byte[Math.toIntExact(length)];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static void write(MemorySegment memory, byte[] bytes) {
        MemorySegment.copy(bytes, 0, memory, JAVA_BYTE, 0, bytes.length);
    }

    /** {@code length} bytes of {@code file} from {@code offset}, read with a file channel, not a mapping. */
    static byte[] read(Path file, long offset, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(length));
        try (FileChannel channel = FileChannel.open(file)) {
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // read until full or end of file
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** A file of {@code size} bytes with no data blocks, as a device node stand-in. */
    static Path sparseFile(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        return file;
    }

    static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
