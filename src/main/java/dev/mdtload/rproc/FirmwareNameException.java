package dev.mdtload.rproc;

/** A firmware name the kernel must not be given: empty, absolute, or one that could leave the search path. */
public final class FirmwareNameException extends Exception {
    public FirmwareNameException(String message) {
        super(message);
    }
}
