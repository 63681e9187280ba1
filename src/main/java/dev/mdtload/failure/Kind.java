package dev.mdtload.failure;

/**
 * What the user should do about a failure, and the exit code that tells a script so (README "Exit
 * codes"). The one place a kind becomes a number.
 */
public enum Kind {
    /** Fix the input: an image, device tree or plan breaks a rule; nothing was written. */
    INVALID(1),
    /** Fix the command line: a bad option, a path that is not there, an output that exists without --force. */
    USAGE(2),
    /** Fix the machine: permission, I/O, a missing device or library, memory. */
    ENVIRONMENT(3),
    /** Ask the device: the secure world or a remote processor refused or failed after loading began. */
    REFUSED(4);

    private final int exitCode;

    Kind(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The kind's name in JSON and rule ids: {@code usage}, {@code invalid}, {@code environment}, {@code refused}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
