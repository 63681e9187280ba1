package dev.mdtload.carveout;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code memfd}: anonymous memory for dry runs. It pretends to sit at the requested physical
 * base, if any, so a dry run computes the same placements as a real load. Nothing else can name
 * it, so it takes no lock.
 */
final class MemfdCarveout extends MappedCarveout implements Carveout {
    private MemfdCarveout(Optional<PhysAddr> physBase, Mapping mapping) {
        super(mapping, physBase);
    }

    static MemfdCarveout open(Carveouts.Request request) throws IOException {
        try (OpenFds fds = new OpenFds()) {
            Fd fd = fds.add(Libc.memfdCreate("mdtload-carveout", Libc.MFD_CLOEXEC));
            Libc.ftruncate(fd, request.size());
            return new MemfdCarveout(request.phys(), Mapping.map(fds, fd, 0, 0, request.size()));
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
