package dev.mdtload.files;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that, whatever happens (an exception, a kill, a power cut after the rename),
 * the target is either absent or old, or complete: the bytes go to a temporary file in the same
 * directory, which is forced to disk and then renamed over the target in one step.
 */
public final class AtomicFile {
    /** What fills the file; it may throw, and then the target is left untouched. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What fills the file by writes at given offsets (a squash places segments at their p_offset). */
    @FunctionalInterface
    public interface PlacedContent {
        void writeTo(Placer out) throws IOException;
    }

    /** Positional writes into the temporary file; a gap before a written range reads back as zeros. */
    public static final class Placer {
        /** A ByteBuffer view of a segment is limited to 2 GiB, so large ones go in windows. */
        private static final long WINDOW = 1L << 30;

        private final FileChannel channel;
        private final Path target;

        private Placer(FileChannel channel, Path target) {
            this.channel = channel;
            this.target = target;
        }

        /**
         * @throws IOException also when {@code bytes} are mapped from a file that was cut short after
         *                     it was mapped: reading them faults (SIGBUS), which the JVM raises as
         *                     InternalError, and that must fail the write like any other read error
         */
        public void write(MemorySegment bytes, long position) throws IOException {
            try {
                for (long off = 0; off < bytes.byteSize(); off += WINDOW) {
                    ByteBuffer window = bytes.asSlice(off, Math.min(WINDOW, bytes.byteSize() - off)).asByteBuffer();
                    long at = position + off;
                    while (window.hasRemaining()) {
                        at += channel.write(window, at);
                    }
                }
            } catch (InternalError fault) {
                throw new IOException(target + ": not written: the bytes to copy into it could not be read (the "
                        + "file they are mapped from was cut short or failed after it was opened)", fault);
            }
        }
    }

    private AtomicFile() {}

    public static void write(Path target, boolean overwrite, Content content) throws IOException {
        writePlaced(target, overwrite, placer -> {
            // not closed: closing the stream would close the channel before it is forced to disk
            OutputStream out = Channels.newOutputStream(placer.channel);
            content.writeTo(out);
            out.flush();
        });
    }

    public static void write(Path target, boolean overwrite, byte[] bytes) throws IOException {
        write(target, overwrite, out -> out.write(bytes));
    }

    public static void writePlaced(Path target, boolean overwrite, PlacedContent content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        requireAbsent(target, overwrite);
        Path temp = createTemp(dir, target);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(new Placer(channel, target));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Refuses an existing {@code target} unless {@code overwrite}: for commands that write several
     * files and must refuse before writing any of them.
     */
    public static void requireAbsent(Path target, boolean overwrite) throws FileAlreadyExistsException {
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists (use --force to replace it)");
        }
    }

    /**
     * createTempFile makes files 0600; outputs are firmware and reports that other users (and
     * the kernel's firmware loader) read, so they get the mode a plain new file would: 0644.
     */
    private static Path createTemp(Path dir, Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }

    /** Makes the rename itself durable; file systems that cannot open a directory (jimfs) need not. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // the rename is still atomic; only its durability across a power cut is weaker
        }
    }
}
