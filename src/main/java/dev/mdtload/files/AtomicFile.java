package dev.mdtload.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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

    private AtomicFile() {}

    public static void write(Path target, boolean overwrite, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists (use --force to replace it)");
        }
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static void write(Path target, boolean overwrite, byte[] bytes) throws IOException {
        write(target, overwrite, out -> out.write(bytes));
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
