package dev.mdtload.board;

import java.io.IOException;
import java.util.List;

/** A reserved-memory name that matches several carveouts: picking one would be a guess. */
public final class AmbiguousNameException extends IOException {
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
