package dev.mdtload.provision;

import dev.mdtload.check.OneLine;
import dev.mdtload.failure.UsageFailure;

import java.util.List;

/**
 * A manifest that cannot be read as one: not YAML or JSON, an unknown or repeated field, a value
 * of the wrong kind, a required field missing. Carries every problem found, one line each,
 * {@code FILE:LINE: where: what}.
 */
public final class ManifestException extends UsageFailure {
    private final List<String> problems;

    public ManifestException(List<String> problems) {
        List<String> lines = problems.stream().map(OneLine::of).toList();
        super(lines.isEmpty() ? "manifest refused" : lines.getFirst()
                + (lines.size() > 1 ? " (and " + (lines.size() - 1) + " more)" : ""));
        this.problems = lines;
    }

    public List<String> problems() {
        return problems;
    }

    @Override
    public List<String> lines() {
        return problems;
    }
}
