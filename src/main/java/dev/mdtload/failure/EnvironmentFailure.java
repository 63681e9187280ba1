package dev.mdtload.failure;

/**
 * The machine would not let mdtload do it (exit 3): permission, I/O, a missing device or library,
 * memory. Made by {@link Failure#of(Throwable)} from the exception the JDK raised, or raised as
 * a libc call's failure ({@code posix.PosixException}); either keeps the errno name where there is one.
 */
public non-sealed class EnvironmentFailure extends Failure {
    public EnvironmentFailure(String rule, String message, Throwable cause) {
        super(rule, message, cause);
    }

    @Override
    public final Kind kind() {
        return Kind.ENVIRONMENT;
    }
}
