package dev.mdtload.provision;

import java.util.List;

/**
 * A manifest that cannot be read as one: not YAML or JSON, an unknown or repeated field, a value
 * of the wrong kind, a required field missing. Carries every problem found, one line each,
 * {@code FILE:LINE: where: what}.
 */
public final class ManifestException extends Exception {
    private final List<String> problems;

    public ManifestException(List<String> problems) {
        super(problems.isEmpty() ? "manifest refused" : problems.getFirst()
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
