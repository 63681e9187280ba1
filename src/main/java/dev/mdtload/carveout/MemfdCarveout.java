package dev.mdtload.carveout;

import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;

import java.io.IOException;

/**
 * {@code memfd}: anonymous memory for dry runs. It pretends to sit at the requested physical
 * base, if any, so a dry run computes the same placements as a real load. Nothing else can name
 * it, so it takes no lock.
 */
final class MemfdCarveout extends MappedCarveout implements Carveout {
    private MemfdCarveout(Carveouts.Base base, Mapping mapping) {
        super(mapping, base);
    }

    static MemfdCarveout open(Carveouts.Request request) throws IOException, PosixException {
        try (OpenFds fds = new OpenFds()) {
            Fd fd = fds.add(Libc.memfdCreate("mdtload-carveout", Libc.MFD_CLOEXEC));
            Libc.ftruncate(fd, request.size());
            return new MemfdCarveout(request.base(), Mapping.map(fds, fd, 0, 0, request.size(), Mapping.Writes.THROUGH_FILE));
        }
    }

    @Override
    public boolean startedZeroed() {
        return true;
    }

    @Override
    String source() {
        return "memfd (anonymous memory)";
    }
}
