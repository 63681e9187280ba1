package dev.mdtload.board;

/**
 * The caps every tree reader enforces while it reads, so a hostile blob or directory costs bounded
 * time and memory and ends in a one-line error instead of an exception or a huge allocation.
 * Real trees are far below them: a few hundred nodes, under 10 levels, well under 1 MiB.
 * <ul>
 *   <li>depth: 64 levels below the root (the kernel's FDT_MAX_DEPTH);
 *   <li>nodes: 65,536; properties: 524,288;
 *   <li>bytes: 8 MiB, the blob file or the sum of a live tree's property files (the kernel refuses
 *       a blob over 2 MiB on arm64);
 *   <li>names: 255 bytes of printable ASCII without {@code /} (a file-name limit, and it keeps
 *       every message that quotes a name on one line).
 * </ul>
 */
final class Limits {
    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 65_536;
    static final int MAX_PROPERTIES = 524_288;
    static final long MAX_BYTES = 8L << 20;
    static final int MAX_NAME = 255;

    private final String source;
    private int nodes;
    private int properties;
    private long bytes;

    Limits(String source) {
        this.source = source;
    }

    void node(String path, int depth) throws DeviceTreeException {
        if (depth > MAX_DEPTH) {
            throw new DeviceTreeException(source, path, "nested deeper than " + MAX_DEPTH + " levels");
        }
        if (++nodes > MAX_NODES) {
            throw new DeviceTreeException(source, path, "more than " + MAX_NODES + " nodes");
        }
    }

    void property(String path, long size) throws DeviceTreeException {
        if (++properties > MAX_PROPERTIES) {
            throw new DeviceTreeException(source, path, "more than " + MAX_PROPERTIES + " properties");
        }
        bytes += size;
        if (size > MAX_BYTES || bytes > MAX_BYTES) {
            throw new DeviceTreeException(source, path, "property values exceed " + MAX_BYTES + " bytes");
        }
    }

    /** Checks a node or property name; {@code what} says which, for the message. */
    void name(String path, String what, String name) throws DeviceTreeException {
        if (name.isEmpty()) {
            throw new DeviceTreeException(source, path, "empty " + what + " name");
        }
        if (name.length() > MAX_NAME) {
            throw new DeviceTreeException(source, path, what + " name longer than " + MAX_NAME + " bytes");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '/') {
                throw new DeviceTreeException(source, path, String.format(
                        "%s name has byte 0x%02x at %d (only printable ASCII without '/' is allowed)", what, (int) c, i));
            }
        }
    }
}
