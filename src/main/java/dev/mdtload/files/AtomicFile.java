package dev.mdtload.files;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
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

    private static final String TEMP_SUFFIX = ".tmp";

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
        removeStaleTemps(dir, target);
        Path temp;
        try {
            temp = createTemp(dir, target);
        } catch (NoSuchFileException | AccessDeniedException e) {
            // the temporary file's random name means nothing to the user: the directory is what is wrong
            throw e instanceof NoSuchFileException ? new NoSuchFileException(dir.toString()) : new AccessDeniedException(dir.toString());
        }
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                // held until the channel closes, after the rename: no other run takes the file for
                // one a killed run left behind
                channel.lock();
                content.writeTo(new Placer(channel, target));
                channel.force(true);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Deletes the temporary files of {@code target} that runs killed while writing it left behind
     * ({@code .NAME.<digits>.tmp}: never mistaken for the output, but as large as it). A writer
     * holds a lock on its temporary file until the rename, and the kernel drops the locks of a
     * killed process, so a temporary file whose lock can be taken is one nobody is writing.
     * Best effort: what cannot be examined is left alone.
     */
    private static void removeStaleTemps(Path dir, Path target) {
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, p -> isTemp(p.getFileName().toString(), prefix))) {
            for (Path temp : temps) {
                removeIfStale(temp);
            }
        } catch (IOException | DirectoryIteratorException unreadable) {
            // a directory we cannot list gets no cleaning; writing will tell whether it is usable
        }
    }

    /** The names {@link #createTemp} gives: prefix, a random unsigned number, ".tmp". */
    static boolean isTemp(String name, String prefix) {
        return name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX) && name.length() > prefix.length() + TEMP_SUFFIX.length()
                && name.substring(prefix.length(), name.length() - TEMP_SUFFIX.length()).chars().allMatch(Character::isDigit);
    }

    private static void removeIfStale(Path temp) {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
             FileLock stale = channel.tryLock()) {
            if (stale != null) {
                Files.deleteIfExists(temp);
            }
        } catch (OverlappingFileLockException writtenHere) {
            // another thread of this process is writing it
        } catch (IOException goneOrUnreadable) {
            // renamed or removed meanwhile, or not ours to open: leave it
        }
    }

    /**
     * Refuses an existing {@code target} unless {@code overwrite}: for commands that write several
     * files and must refuse before writing any of them.
     */
    public static void requireAbsent(Path target, boolean overwrite) throws FileAlreadyExistsException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            // --force replaces a file, never a directory; the rename would fail naming the temporary file
            throw new FileAlreadyExistsException(target.toString(), null, "is a directory, not a file to write");
        }
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
            return Files.createTempFile(dir, prefix, TEMP_SUFFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        }
        return Files.createTempFile(dir, prefix, TEMP_SUFFIX);
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
