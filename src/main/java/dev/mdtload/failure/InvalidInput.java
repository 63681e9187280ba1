package dev.mdtload.failure;

/** What was given breaks a rule (exit 1): an image, a device tree, a provisioning plan. Nothing was written. */
public non-sealed class InvalidInput extends Failure {
    /** {@code rule} is the stable id of the rule broken, as {@code docs/rules.md} lists image rules. */
    public InvalidInput(String rule, String message) {
        super(rule, message, null);
    }

    @Override
    public final Kind kind() {
        return Kind.INVALID;
    }
}
