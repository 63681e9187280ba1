package dev.mdtload.cli;

import dev.mdtload.failure.Kind;

/**
 * The exit codes every command uses; README.md documents them and scripts depend on them. Each
 * failure's code comes from its {@link Kind}; these name them where a command returns a verdict.
 */
final class ExitCode {
    private ExitCode() {}

    /** Everything valid, done. */
    public static final int OK = 0;
    /** An image (or a manifest entry) breaks a rule; nothing was written. */
    public static final int INVALID = Kind.INVALID.exitCode();
    /** Bad command line: unknown option, bad number, a path that does not exist, a wrong address kind. */
    public static final int USAGE = Kind.USAGE.exitCode();
    /** The machine would not let us: permission, I/O, a missing device or library. */
    public static final int ENVIRONMENT = Kind.ENVIRONMENT.exitCode();
    /** The secure world or a remote processor refused or failed after loading started. */
    public static final int REFUSED = Kind.REFUSED.exitCode();
}
