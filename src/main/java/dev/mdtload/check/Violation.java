package dev.mdtload.check;

import java.util.Objects;

/**
 * One broken rule: which file, which program header (or none for a whole-file rule) and a
 * lowercase message carrying the offending values, like the kernel's mdt_loader messages.
 */
public record Violation(Rule rule, String file, Integer segment, String message) {
    public Violation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    public static Violation of(Rule rule, String file, String message) {
        return new Violation(rule, file, null, message);
    }

    public static Violation of(Rule rule, String file, int segment, String message) {
        return new Violation(rule, file, segment, message);
    }

    /** The one-line form every command prints: {@code file: segment N: message [rule-id]}. */
    public String line() {
        String where = segment == null ? "" : "segment " + segment + ": ";
        return OneLine.of(file + ": " + where + message) + " [" + rule.id() + "]";
    }
}
