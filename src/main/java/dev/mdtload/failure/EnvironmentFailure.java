package dev.mdtload.failure;

/**
 * The machine would not let mdtload do it (exit 3): permission, I/O, a missing device or library,
 * memory. Mostly made by {@link Failure#of(Throwable)} from the exception the JDK or libc raised,
 * whose errno name it keeps where there is one.
 */
public final class EnvironmentFailure extends Failure {
    public EnvironmentFailure(String rule, String message, Throwable cause) {
        super(rule, message, cause);
    }

    @Override
    public Kind kind() {
        return Kind.ENVIRONMENT;
    }
}
