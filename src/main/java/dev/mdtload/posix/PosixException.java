package dev.mdtload.posix;

import dev.mdtload.failure.EnvironmentFailure;

/**
 * A libc call that failed: the one exception type of the posix package, a failure of the machine
 * (exit 3) whose rule id is the errno's name. The message has the form
 * {@code open(/dev/mem) failed: EACCES (Permission denied)}, or {@code msync failed: ...} for a
 * call that is not about a path.
 */
public final class PosixException extends EnvironmentFailure {
    private final int errno;

    /** {@code call}: the function and, for a call about a file, its path: {@code open(/dev/mem)}, {@code msync}. */
    PosixException(String call, int errno, String description) {
        super(Errno.nameOf(errno), call + " failed: " + Errno.nameOf(errno) + " (" + description + ")", null);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public boolean is(Errno e) {
        return errno == e.value();
    }
}
