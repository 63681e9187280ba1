package dev.mdtload.board;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects one node while a reader walks its source. Duplicate names are refused: a lookup by name
 * must not depend on which of two equal names a reader happened to see first.
 */
final class NodeBuilder {
    private final String source;
    private final String path;
    private final Map<String, Property> properties = new TreeMap<>();
    private final Map<String, Node> children = new TreeMap<>();

    NodeBuilder(String source, String path) {
        this.source = source;
        this.path = path;
    }

    static NodeBuilder root(String source) {
        return new NodeBuilder(source, "/");
    }

    String path() {
        return path;
    }

    String childPath(String name) {
        return path.equals("/") ? "/" + name : path + "/" + name;
    }

    NodeBuilder child(String name) {
        return new NodeBuilder(source, childPath(name));
    }

    void add(Property property) throws DeviceTreeException {
        if (properties.putIfAbsent(property.name(), property) != null) {
            throw new DeviceTreeException(source, path, "property " + property.name() + " appears twice");
        }
    }

    void add(Node child) throws DeviceTreeException {
        if (children.putIfAbsent(child.name(), child) != null) {
            throw new DeviceTreeException(source, path, "child node " + child.name() + " appears twice");
        }
    }

    Node build() {
        return new Node(path, new ArrayList<>(properties.values()), new ArrayList<>(children.values()));
    }
}
