package dev.mdtload.carveout;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.posix.Errno;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** {@code file:PATH}: a regular file standing in for the memory, byte 0 at the physical base. */
final class FileCarveout extends MappedCarveout implements Carveout {
    private final CarveoutSpec.File spec;
    private final boolean created;

    private FileCarveout(CarveoutSpec.File spec, Carveouts.Base base, Mapping mapping, boolean created) {
        super(mapping, base);
        this.spec = spec;
        this.created = created;
    }

    static FileCarveout open(CarveoutSpec.File spec, Carveouts.Request request) throws IOException, PosixException {
        try (OpenFds fds = new OpenFds()) {
            Optional<Fd> created = createExclusively(spec.path(), fds);
            Fd fd = created.isPresent() ? created.get() : fds.add(Libc.open(spec.path(), Libc.O_RDWR | Libc.O_CLOEXEC, 0));
            lockExclusively(fd, spec.toString());
            if (created.isPresent()) {
                // Sets the size without writing a block: a 100 MiB fake costs no disk until loaded.
                Libc.ftruncate(fd, request.size());
            }
            return new FileCarveout(spec, request.base(),
                    Mapping.map(fds, fd, 0, 0, request.size(), Mapping.Writes.THROUGH_FILE),
                    created.isPresent());
        }
    }

    static Carveouts.Location locate(CarveoutSpec.File spec, Carveouts.Request request) throws UsageFailure {
        return switch (request.base()) {
            case Carveouts.Base.Given given -> new Carveouts.Location(given.addr(), request.size(), spec.path(), 0);
            case Carveouts.Base.Own ignored -> throw new UsageFailure(
                    "carveout " + spec + " stands for memory at no physical address: give one");
        };
    }

    /** A new, empty file; empty if the file already exists (it is used as it is, never truncated). */
    private static Optional<Fd> createExclusively(Path path, OpenFds fds) throws PosixException {
        try {
            return Optional.of(fds.add(Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0644)));
        } catch (PosixException e) {
            if (e.is(Errno.EEXIST)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Only a file this open created: an existing one is used as it is, never truncated. */
    @Override
    public boolean startedZeroed() {
        return created;
    }

    public Path path() {
        return spec.path();
    }

    @Override
    String source() {
        return spec.toString();
    }
}
