package dev.mdtload.carveout;

/**
 * A carveout request that cannot be right on any machine: a malformed spec, a size or address
 * that is not page aligned, a range outside the region it names. Raised before anything is
 * opened or mapped. (A carveout that exists but cannot be opened is an {@link java.io.IOException}.)
 */
public final class CarveoutException extends Exception {
    public CarveoutException(String message) {
        super(message);
    }

    /** The board's reserved-memory table has no region of that name. */
    public static CarveoutException noSuchRegion(CarveoutSpec.Reserved spec) {
        return new CarveoutException("carveout " + spec + ": the board has no reserved-memory region named '"
                + spec.name() + "'");
    }
}
