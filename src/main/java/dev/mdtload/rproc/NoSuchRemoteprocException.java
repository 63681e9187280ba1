package dev.mdtload.rproc;

/** No remote processor, or more than one, answers to the name asked for. */
public final class NoSuchRemoteprocException extends Exception {
    public NoSuchRemoteprocException(String message) {
        super(message);
    }
}
