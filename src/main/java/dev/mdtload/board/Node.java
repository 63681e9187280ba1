package dev.mdtload.board;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A device-tree node: its full path, its properties and its children, both sorted by name. Order
 * carries no meaning in a device tree and a live tree does not keep it, so both readers sort and a
 * blob and its live tree give equal nodes.
 */
record Node(String path, List<Property> properties, List<Node> children) {
    public Node {
        Objects.requireNonNull(path, "path");
        properties = List.copyOf(properties);
        children = List.copyOf(children);
    }

    /** The name with its unit address ({@code wpss@9ae00000}); empty for the root. */
    public String name() {
        return nameOf(path);
    }

    /** The name without its unit address ({@code wpss}). */
    public String baseName() {
        return baseNameOf(name());
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String baseNameOf(String name) {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    public Optional<Property> property(String name) {
        return properties.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public boolean has(String name) {
        return property(name).isPresent();
    }

    public Optional<Node> child(String name) {
        return children.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
