package dev.mdtload.doctor;

import dev.mdtload.check.OneLine;
import dev.mdtload.check.Severity;
import dev.mdtload.check.Violation;

import java.util.Objects;

/**
 * One thing wrong with a remote processor: the rule broken (a {@link BoardRule} id, or the
 * {@link dev.mdtload.check.Rule} id of its image's verdict), how bad, and a lowercase message with
 * the values.
 *
 * @param processor the processor's node name ({@code remoteproc@8a00000})
 */
public record Finding(String processor, String rule, Severity severity, String message) {
    public Finding {
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    static Finding of(String processor, BoardRule rule, String message) {
        return new Finding(processor, rule.id(), rule.severity(), message);
    }

    /** An image rule broken; the violation's line already names the file and segment. */
    static Finding of(String processor, Violation violation, Severity severity) {
        String line = violation.line();
        return new Finding(processor, violation.rule().id(), severity,
                line.substring(0, line.length() - (" [" + violation.rule().id() + "]").length()));
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code remoteproc@8a00000: message [rule-id]}. */
    public String line() {
        return OneLine.of(processor + ": " + message) + " [" + rule + "]";
    }
}
