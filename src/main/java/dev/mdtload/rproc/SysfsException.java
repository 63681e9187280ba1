package dev.mdtload.rproc;

import java.io.IOException;

/**
 * The kernel refused a sysfs write; {@link #errno()} is its error name ("EBUSY", "EINVAL",
 * "ENOENT", ...), which {@link Remoteprocs} turns into a sentence about the processor.
 */
final class SysfsException extends IOException {
    private final String errno;

    public SysfsException(String file, String errno, String detail) {
        super(file + ": " + detail + " (" + errno + ")");
        this.errno = errno;
    }

    public String errno() {
        return errno;
    }
}
