package dev.mdtload.check;

import dev.mdtload.failure.InvalidInput;

import java.util.List;

/** An image (or a request about one) breaks at least one rule. Its message is the first violation's line. */
public final class InvalidImageException extends InvalidInput {
    private final transient List<Violation> violations;

    public InvalidImageException(List<Violation> violations) {
        super(violations.isEmpty() ? "invalid-image" : violations.getFirst().rule().id(),
                violations.isEmpty() ? "invalid image" : violations.getFirst().line());
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid image needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public InvalidImageException(Violation violation) {
        this(List.of(violation));
    }

    public List<Violation> violations() {
        return violations;
    }

    public Rule rule() {
        return violations.getFirst().rule();
    }

    /** Every violation's line, as stderr lists them. */
    @Override
    public List<String> lines() {
        return violations.stream().map(Violation::line).toList();
    }
}
