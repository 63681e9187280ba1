package dev.mdtload.output;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An output file that appears complete or not at all: bytes go to a temporary file in the
 * target's own directory (so the final rename never crosses a file system), which is synced and
 * then renamed over the target by {@link #commit()}. Closing without committing deletes the
 * temporary file, so a failure never leaves a half-written output behind.
 */
public final class AtomicFile implements AutoCloseable {
    private static final long WINDOW = 1L << 30;

    private final Path target;
    private final Path temp;
    private final boolean replace;
    private final FileChannel channel;
    private boolean committed;

    private AtomicFile(Path target, Path temp, boolean replace, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.replace = replace;
        this.channel = channel;
    }

    /**
     * Starts writing {@code target}.
     *
     * @param replace whether an existing target may be replaced (the command's {@code --force})
     * @throws FileAlreadyExistsException the target exists and {@code replace} is false
     */
    public static AtomicFile create(Path target, boolean replace) throws IOException {
        requireAbsentUnless(target, replace);
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            return new AtomicFile(target, temp, replace, FileChannel.open(temp, StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Refuses an existing {@code target} unless replacing was asked for; checked before anything is written. */
    public static void requireAbsentUnless(Path target, boolean replace) throws FileAlreadyExistsException {
        if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists; use --force to replace it");
        }
    }

    public Path target() {
        return target;
    }

    /** Writes all of {@code bytes} at {@code position}; a gap before it reads back as zeros. */
    public void write(ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    public void write(byte[] bytes, long position) throws IOException {
        write(ByteBuffer.wrap(bytes), position);
    }

    /** Writes a segment of any size (a ByteBuffer view is limited to 2 GiB, so it goes in windows). */
    public void write(MemorySegment bytes, long position) throws IOException {
        for (long off = 0; off < bytes.byteSize(); off += WINDOW) {
            write(bytes.asSlice(off, Math.min(WINDOW, bytes.byteSize() - off)).asByteBuffer(), position + off);
        }
    }

    /** Syncs the bytes, renames the file into place, and syncs the directory so the rename survives a crash. */
    public void commit() throws IOException {
        channel.force(true);
        channel.close();
        if (replace) {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            // ATOMIC_MOVE may replace silently; a target created since create() must still be refused
            requireAbsentUnless(target, false);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        committed = true;
        syncDirectory(target.toAbsolutePath().getParent());
    }

    private static void syncDirectory(Path dir) throws IOException {
        // only the platform file system can open a directory for fsync (jimfs and others cannot)
        if (dir.getFileSystem() == FileSystems.getDefault()) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            channel.close();
        }
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }
}
