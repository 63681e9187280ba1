package dev.mdtload.check;

import com.fasterxml.jackson.annotation.JsonProperty;

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

    /** Whose verdict the rule predicts (JSON {@code basis}): a harness exempts secure-world and PAS-init rules by it. */
    @JsonProperty("basis")
    public Basis basis() {
        return rule.basis();
    }

    /** The one-line form every command prints: {@code file: segment N: message [rule-id]}. */
    public String line() {
        String where = segment == null ? "" : "segment " + segment + ": ";
        return OneLine.of(file + ": " + where + message) + " [" + rule.id() + "]";
    }
}
