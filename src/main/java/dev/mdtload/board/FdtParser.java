package dev.mdtload.board;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

import static dev.mdtload.board.FdtLayouts.u32;

/**
 * Reads a flattened device tree (the {@code .dtb} format, versions 16 and 17) into {@link Node}s.
 * Every offset and length read from the blob is checked against the block it must lie in before
 * it is used, and {@link Limits} caps depth, counts and sizes, so no blob can make this throw
 * anything but a {@link DeviceTreeException} or allocate more than it holds. The memory
 * reservation block ({@code /memreserve/}) is not read: carveouts come from named
 * {@code /reserved-memory} nodes.
 */
final class FdtParser {
    static final long FDT_MAGIC = 0xd00dfeedL;
    static final int FDT_BEGIN_NODE = 0x1;
    static final int FDT_END_NODE = 0x2;
    static final int FDT_PROP = 0x3;
    static final int FDT_NOP = 0x4;
    static final int FDT_END = 0x9;
    static final long FIRST_VERSION = 16;
    static final long LAST_VERSION = 17;
    private static final String HEADER = "fdt header";

    private final MemorySegment blob;
    private final String source;
    private final Limits limits;
    private long structStart;
    private long structEnd;
    private long stringsStart;
    private long stringsSize;

    private FdtParser(MemorySegment blob, String source) {
        this.blob = blob;
        this.source = source;
        this.limits = new Limits(source);
    }

    static Node parse(MemorySegment blob, String source) throws DeviceTreeException {
        FdtParser parser = new FdtParser(blob, source);
        parser.readHeader();
        return parser.walk();
    }

    private void readHeader() throws DeviceTreeException {
        long available = blob.byteSize();
        if (available > Limits.MAX_BYTES) {
            throw error(HEADER, "blob is " + available + " bytes, more than the " + Limits.MAX_BYTES + " mdtload reads");
        }
        // the field handles check the whole fdt_header fits; no valid blob, even of version 16, is smaller
        if (available < FdtLayouts.FDT_HEADER.byteSize()) {
            throw error(HEADER, "blob is " + available + " bytes, shorter than an fdt header ("
                    + FdtLayouts.FDT_HEADER.byteSize() + ")");
        }
        long magic = u32(FdtLayouts.MAGIC, blob, 0);
        if (magic != FDT_MAGIC) {
            throw error(HEADER, String.format("bad magic 0x%08x (a device tree blob starts with 0x%08x)", magic, FDT_MAGIC));
        }
        long version = u32(FdtLayouts.VERSION, blob, 0);
        long lastComp = u32(FdtLayouts.LAST_COMP_VERSION, blob, 0);
        if (version < FIRST_VERSION || lastComp > LAST_VERSION) {
            throw error(HEADER, String.format("version %d (compatible back to %d): mdtload reads versions %d and %d",
                    version, lastComp, FIRST_VERSION, LAST_VERSION));
        }
        long headerSize = version >= LAST_VERSION ? FdtLayouts.FDT_HEADER.byteSize() : FdtLayouts.FDT_V16_HEADER_SIZE;
        long total = u32(FdtLayouts.TOTALSIZE, blob, 0);
        if (total < headerSize || total > available) {
            throw error(HEADER, String.format("totalsize %d is outside [%d, %d] (header size, blob size)",
                    total, headerSize, available));
        }
        structStart = u32(FdtLayouts.OFF_DT_STRUCT, blob, 0);
        long structSize = version >= LAST_VERSION ? u32(FdtLayouts.SIZE_DT_STRUCT, blob, 0) : total - Math.min(structStart, total);
        checkBlock("structure block", structStart, structSize, headerSize, total);
        if (structStart % 4 != 0) {
            throw error(HEADER, String.format("structure block at 0x%x is not 4-byte aligned", structStart));
        }
        structEnd = structStart + structSize;
        stringsStart = u32(FdtLayouts.OFF_DT_STRINGS, blob, 0);
        stringsSize = u32(FdtLayouts.SIZE_DT_STRINGS, blob, 0);
        checkBlock("strings block", stringsStart, stringsSize, headerSize, total);
    }

    private void checkBlock(String what, long offset, long size, long headerSize, long total) throws DeviceTreeException {
        // both are u32 values in a long: the sum cannot overflow
        if (offset < headerSize || offset + size > total) {
            throw error(HEADER, String.format("%s [0x%x, 0x%x) is outside [0x%x, 0x%x) (after the header, within totalsize)",
                    what, offset, offset + size, headerSize, total));
        }
    }

    private Node walk() throws DeviceTreeException {
        Deque<NodeBuilder> open = new ArrayDeque<>();
        Node root = null;
        long p = structStart;
        while (true) {
            long token = p;
            need(token, FdtLayouts.FDT_NODE_HEADER.byteSize(), current(open), "a token");
            int tag = (int) u32(FdtLayouts.TAG, blob, token);
            p = token + FdtLayouts.FDT_NODE_HEADER.byteSize();
            switch (tag) {
                case FDT_BEGIN_NODE -> {
                    String parent = current(open);
                    String name = cstring(p, structEnd, parent, "node name");
                    p = align4(p + name.length() + 1);
                    if (root != null) {
                        throw error("/", at(token) + "a second top-level node after the root");
                    }
                    NodeBuilder node;
                    if (open.isEmpty()) {
                        if (!name.isEmpty()) {
                            throw error("/", at(token) + "root node is named '" + name + "', not ''");
                        }
                        node = NodeBuilder.root(source);
                    } else {
                        limits.name(parent, "node", name);
                        node = open.peek().child(name);
                    }
                    limits.node(node.path(), open.size());
                    open.push(node);
                }
                case FDT_END_NODE -> {
                    if (open.isEmpty()) {
                        throw error("/", at(token) + "FDT_END_NODE outside any node");
                    }
                    Node done = open.pop().build();
                    if (open.isEmpty()) {
                        root = done;
                    } else {
                        open.peek().add(done);
                    }
                }
                case FDT_PROP -> {
                    if (open.isEmpty()) {
                        throw error("/", at(token) + "FDT_PROP outside any node");
                    }
                    p = property(token, open.peek());
                }
                case FDT_NOP -> {
                    // padding left by in-place edits (fdt_nop_property); carries nothing
                }
                case FDT_END -> {
                    if (root == null) {
                        throw error(current(open), at(token)
                                + (open.isEmpty() ? "FDT_END before any node" : "FDT_END inside an open node"));
                    }
                    return root;
                }
                default -> throw error(current(open),
                        at(token) + String.format("unknown token 0x%08x", tag));
            }
        }
    }

    /** Reads the property whose token is at {@code token} into {@code node}; returns the next token's offset. */
    private long property(long token, NodeBuilder node) throws DeviceTreeException {
        String path = node.path();
        need(token, FdtLayouts.FDT_PROPERTY.byteSize(), path, "a property header");
        long len = u32(FdtLayouts.PROP_LEN, blob, token);
        long nameoff = u32(FdtLayouts.PROP_NAMEOFF, blob, token);
        long value = token + FdtLayouts.FDT_PROPERTY.byteSize();
        if (len > structEnd - value) {
            throw error(path, at(token) + String.format(
                    "property length 0x%x runs past the structure block (0x%x bytes left)", len, structEnd - value));
        }
        if (nameoff >= stringsSize) {
            throw error(path, at(token) + String.format(
                    "property name offset 0x%x is outside the strings block (0x%x bytes)", nameoff, stringsSize));
        }
        String name = cstring(stringsStart + nameoff, stringsStart + stringsSize, path, "property name");
        limits.name(path, "property", name);
        limits.property(path + "/" + name, len);
        node.add(new Property(name, blob.asSlice(value, len).toArray(ValueLayout.JAVA_BYTE)));
        return align4(value + len);
    }

    /** A NUL-terminated name starting at {@code start}, which must end before {@code limit}. */
    private String cstring(long start, long limit, String path, String what) throws DeviceTreeException {
        long stop = Math.min(limit, start + Limits.MAX_NAME + 1);
        for (long i = start; i < stop; i++) {
            if (blob.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return new String(blob.asSlice(start, i - start).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
            }
        }
        throw error(path, at(start) + what + (stop == limit
                ? " runs past the end of its block without a terminating NUL"
                : " is longer than " + Limits.MAX_NAME + " bytes"));
    }

    private void need(long offset, long size, String path, String what) throws DeviceTreeException {
        if (offset > structEnd - size) {
            throw error(path, at(offset) + "structure block ends where " + what + " should be (no FDT_END)");
        }
    }

    private static String current(Deque<NodeBuilder> open) {
        return open.isEmpty() ? "/" : open.peek().path();
    }

    private static long align4(long offset) {
        return (offset + 3) & ~3L;
    }

    private String at(long offset) {
        return String.format("at blob offset 0x%x: ", offset);
    }

    private DeviceTreeException error(String where, String message) {
        return new DeviceTreeException(source, where, message);
    }
}
