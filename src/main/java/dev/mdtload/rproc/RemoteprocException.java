package dev.mdtload.rproc;

/** A remote processor, or the kernel on its behalf, refused or failed: EBUSY, EINVAL, a crash, a timeout. */
public final class RemoteprocException extends Exception {
    public RemoteprocException(String message) {
        super(message);
    }

    public RemoteprocException(String message, Throwable cause) {
        super(message, cause);
    }
}
