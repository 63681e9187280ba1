package dev.mdtload.address;

/**
 * An address of the wrong kind, one without a translation, or one that does not fit the width a
 * call carries. Always raised before anything is written or sent to the secure world.
 */
public final class AddressException extends Exception {
    public AddressException(String message) {
        super(message);
    }
}
