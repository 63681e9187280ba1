package dev.mdtload.board;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads a live device tree as the kernel exports it ({@code /sys/firmware/devicetree/base}): a
 * directory per node, a file per property holding its raw bytes. Links are refused rather than
 * followed (the kernel makes none there, and following one could loop); the same {@link Limits}
 * as for a blob apply, counted while reading, so a huge or deep directory stops early.
 */
final class LiveTreeReader {
    private static final String NAME = "name";

    private final String source;
    private final Limits limits;

    private LiveTreeReader(String source) {
        this.source = source;
        this.limits = new Limits(source);
    }

    static Node read(Path dir) throws IOException, DeviceTreeException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(dir.toString(), null, "no device tree directory");
        }
        LiveTreeReader reader = new LiveTreeReader(dir.toString());
        return reader.node(NodeBuilder.root(reader.source), dir, 0);
    }

    private Node node(NodeBuilder node, Path dir, int depth) throws IOException, DeviceTreeException {
        limits.node(node.path(), depth);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isDirectory()) {
                    limits.name(node.path(), "node", name);
                    node.add(node(node.child(name), entry, depth + 1));
                } else if (attrs.isRegularFile()) {
                    limits.name(node.path(), "property", name);
                    limits.property(node.childPath(name), attrs.size());
                    byte[] value = read(entry, attrs.size(), node.childPath(name));
                    if (!isSynthesizedName(name, value, node)) {
                        node.add(new Property(name, value));
                    }
                } else {
                    throw new DeviceTreeException(source, node.childPath(name),
                            attrs.isSymbolicLink() ? "is a symbolic link, not a property file or node directory"
                                    : "is neither a property file nor a node directory");
                }
            }
        }
        return node.build();
    }

    private byte[] read(Path file, long size, String path) throws IOException, DeviceTreeException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] value = in.readNBytes((int) size + 1);
            if (value.length != size) {
                throw new DeviceTreeException(source, path, "changed size while it was read");
            }
            return value;
        }
    }

    /**
     * The kernel adds a {@code name} property holding the node name without its unit address to
     * every node of the live tree (drivers/of/fdt.c, for pre-v16 compatibility); it is not in the
     * blob, so it is dropped to give the same tree from both sources.
     */
    private static boolean isSynthesizedName(String name, byte[] value, NodeBuilder node) {
        if (!name.equals(NAME)) {
            return false;
        }
        byte[] base = Node.baseNameOf(Node.nameOf(node.path())).getBytes(StandardCharsets.US_ASCII);
        return Arrays.equals(value, Arrays.copyOf(base, base.length + 1));
    }
}
