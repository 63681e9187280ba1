package dev.mdtload.posix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A libc call that failed: the one exception type of the posix package. The message has the form
 * {@code open(/dev/mem) failed: EACCES (Permission denied)}, or {@code msync failed: ...} for a
 * call that is not about a path.
 */
public final class PosixException extends IOException {
    private final String operation;
    private final transient Optional<Path> path;
    private final int errno;

    PosixException(String operation, Optional<Path> path, int errno, String description) {
        super(operation + path.map(p -> "(" + p + ")").orElse("") + " failed: "
                + Errno.nameOf(errno) + " (" + description + ")");
        this.operation = operation;
        this.path = path;
        this.errno = errno;
    }

    public String operation() {
        return operation;
    }

    public Optional<Path> path() {
        return path;
    }

    public int errno() {
        return errno;
    }

    /** EACCES, ENOENT, ...: the name the kernel's headers give errno. */
    public String errnoName() {
        return Errno.nameOf(errno);
    }

    public boolean is(Errno e) {
        return errno == e.value();
    }
}
