package dev.mdtload.posix;

import java.util.Arrays;
import java.util.Optional;

/**
 * The errno values mdtload's calls can meet, by their C names. Linux x86_64 and aarch64 share
 * these numbers (both use asm-generic/errno-base.h and errno.h), so one table serves both.
 */
public enum Errno {
    EPERM(1),
    ENOENT(2),
    EINTR(4),
    EIO(5),
    ENXIO(6),
    EBADF(9),
    /** Also EAGAIN: the kernel has one number for both; flock(2) documents this name. */
    EWOULDBLOCK(11),
    ENOMEM(12),
    EACCES(13),
    EFAULT(14),
    EBUSY(16),
    EEXIST(17),
    ENODEV(19),
    ENOTDIR(20),
    EISDIR(21),
    EINVAL(22),
    ENFILE(23),
    EMFILE(24),
    ENOTTY(25),
    EFBIG(27),
    ENOSPC(28),
    EROFS(30),
    ENAMETOOLONG(36),
    ENOSYS(38),
    ELOOP(40),
    EOVERFLOW(75),
    EOPNOTSUPP(95);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<Errno> of(int value) {
        return Arrays.stream(values()).filter(e -> e.value == value).findFirst();
    }

    /** The C name, or {@code errno N} for a number outside the table. */
    static String nameOf(int value) {
        return of(value).map(Errno::name).orElse("errno " + value);
    }
}
