package dev.mdtload.provision;

import dev.mdtload.posix.Errno;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The board-wide lock a run holds from its first write to its last: {@code flock} on
 * {@code ROOT/run/lock/mdtload-provision.lock}. Each carveout has its own lock too, but those are
 * held one load at a time; this one keeps a second run from starting processors between them or
 * rolling back what the first started. The file stays; the lock goes with the descriptor.
 */
final class ProvisionLock implements AutoCloseable {
    static final String FILE = "run/lock/mdtload-provision.lock";

    private final Fd fd;

    private ProvisionLock(Fd fd) {
        this.fd = fd;
    }

    /** Takes the lock without waiting: a second run is told at once, not queued behind the first. */
    static ProvisionLock acquire(Path root) throws IOException, PosixException {
        Path file = root.resolve(FILE);
        Files.createDirectories(file.getParent());
        Fd fd = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        try {
            Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB);
            return new ProvisionLock(fd);
        } catch (PosixException e) {
            fd.close();
            if (e.is(Errno.EWOULDBLOCK)) {
                throw new IOException("another mdtload provision is running on " + root + " (" + file
                        + " is locked); nothing was done: run again when it has finished", e);
            }
            throw e;
        }
    }

    @Override
    public void close() throws PosixException {
        fd.close();
    }
}
