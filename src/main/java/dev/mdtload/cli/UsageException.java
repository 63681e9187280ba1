package dev.mdtload.cli;

/** The request itself is wrong (exit 2), as opposed to an image that breaks a rule (exit 1). */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
