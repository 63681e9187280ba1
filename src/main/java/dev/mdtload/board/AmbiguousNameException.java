package dev.mdtload.board;

import dev.mdtload.failure.UsageFailure;

import java.util.List;

/** A reserved-memory name that matches several carveouts: picking one would be a guess. */
final class AmbiguousNameException extends UsageFailure {
    private final List<String> candidates;

    public AmbiguousNameException(String name, List<String> candidates) {
        super("reserved-memory name '" + name + "' matches " + String.join(", ", candidates)
                + ": give the node name with its unit address");
        this.candidates = List.copyOf(candidates);
    }

    public List<String> candidates() {
        return candidates;
    }
}
