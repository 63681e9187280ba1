package dev.mdtload.failure;

/**
 * The request is wrong (exit 2): a bad option or combination, an address of the wrong kind or
 * width, a malformed carveout spec, a name that matches no processor or region, a firmware name
 * that could leave the search path. Always raised before anything is written.
 */
public non-sealed class UsageFailure extends Failure {
    public UsageFailure(String message) {
        super(Kind.USAGE.id(), message, null);
    }

    public UsageFailure(String message, Throwable cause) {
        super(Kind.USAGE.id(), message, cause);
    }

    @Override
    public final Kind kind() {
        return Kind.USAGE;
    }
}
