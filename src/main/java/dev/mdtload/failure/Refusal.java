package dev.mdtload.failure;

/**
 * The device refused (exit 4): the secure world answered a PAS call with an error, or a remote
 * processor (the kernel on its behalf) refused, crashed or did not start in time. Carries the
 * errno the kernel would report ({@code EBUSY}, {@code EINVAL}), or {@code refused} when there is none.
 */
public non-sealed class Refusal extends Failure {
    public Refusal(String errno, String message, Throwable cause) {
        super(errno, message, cause);
    }

    public Refusal(String message) {
        super(Kind.REFUSED.id(), message, null);
    }

    @Override
    public final Kind kind() {
        return Kind.REFUSED;
    }
}
