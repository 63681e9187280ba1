package dev.mdtload.carveout;

import dev.mdtload.posix.Fd;
import dev.mdtload.posix.PosixException;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The descriptors a carveout holds, closed newest first. While a carveout is being opened they
 * belong to a try-with-resources block, so a failure half way closes them; a finished
 * {@link Mapping} takes them over with {@link #transfer()}.
 */
final class OpenFds implements AutoCloseable {
    private final Deque<Fd> fds = new ArrayDeque<>();

    Fd add(Fd fd) {
        fds.push(fd);
        return fd;
    }

    OpenFds transfer() {
        OpenFds taken = new OpenFds();
        taken.fds.addAll(fds);
        fds.clear();
        return taken;
    }

    @Override
    public void close() throws PosixException {
        PosixException first = null;
        while (!fds.isEmpty()) {
            try {
                fds.pop().close();
            } catch (PosixException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
