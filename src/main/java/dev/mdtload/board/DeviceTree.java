package dev.mdtload.board;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device tree read from a {@code .dtb} blob or from a live tree directory: the nodes, their
 * phandles, and typed readers for the properties mdtload needs ({@code reg} with its parent's
 * {@code #address-cells}/{@code #size-cells}, string lists, phandle lists). Every decoding error
 * is a {@link DeviceTreeException} naming the source and the node.
 */
public final class DeviceTree {
    /** Cells of {@code #address-cells}/{@code #size-cells} when a parent does not say (the spec's defaults). */
    static final int DEFAULT_ADDRESS_CELLS = 2;
    static final int DEFAULT_SIZE_CELLS = 1;
    /** A {@code reg} value wider than two cells does not fit a 64-bit address. */
    static final int MAX_CELLS = 2;
    private static final long PHANDLE_NONE = 0;
    private static final long PHANDLE_ILLEGAL = 0xffffffffL;

    /** One {@code (address, size)} pair of a {@code reg} property, both unsigned 64-bit values. */
    public record Reg(long address, long size) {}

    private final String source;
    private final Node root;
    private final Map<String, Node> byPath;
    private final Map<Long, Node> byPhandle;

    private DeviceTree(String source, Node root, Map<String, Node> byPath, Map<Long, Node> byPhandle) {
        this.source = source;
        this.root = root;
        this.byPath = Collections.unmodifiableMap(byPath);
        this.byPhandle = Collections.unmodifiableMap(byPhandle);
    }

    /** Reads a {@code .dtb} file; files over {@value Limits#MAX_BYTES} bytes are refused unread. */
    public static DeviceTree readBlob(Path file) throws IOException, DeviceTreeException {
        long size = Files.size(file);
        if (size > Limits.MAX_BYTES) {
            throw new DeviceTreeException(file.toString(), "fdt header",
                    "file is " + size + " bytes, more than the " + Limits.MAX_BYTES + " mdtload reads");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // one byte over the cap if the file grew meanwhile: the parser refuses that too
            bytes = in.readNBytes((int) Limits.MAX_BYTES + 1);
        }
        return parseBlob(MemorySegment.ofArray(bytes), file.toString());
    }

    /** Parses a blob already in memory; {@code source} names it in messages. */
    public static DeviceTree parseBlob(MemorySegment blob, String source) throws DeviceTreeException {
        return index(source, FdtParser.parse(blob, source));
    }

    /** Reads a live tree directory such as {@code /sys/firmware/devicetree/base}. */
    public static DeviceTree readLive(Path dir) throws IOException, DeviceTreeException {
        return index(dir.toString(), LiveTreeReader.read(dir));
    }

    private static DeviceTree index(String source, Node root) throws DeviceTreeException {
        Map<String, Node> byPath = new LinkedHashMap<>();
        Map<Long, Node> byPhandle = new HashMap<>();
        Deque<Node> pending = new ArrayDeque<>();
        pending.push(root);
        DeviceTree tree = new DeviceTree(source, root, byPath, byPhandle);
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            byPath.put(node.path(), node);
            long phandle = tree.ownPhandle(node);
            if (phandle != PHANDLE_NONE) {
                Node other = byPhandle.putIfAbsent(phandle, node);
                if (other != null) {
                    throw new DeviceTreeException(source, node.path(),
                            String.format("phandle 0x%x is also the phandle of %s", phandle, other.path()));
                }
            }
            for (Node child : node.children().reversed()) {
                pending.push(child);
            }
        }
        return tree;
    }

    /** The file or directory this tree was read from. */
    public String source() {
        return source;
    }

    public Node root() {
        return root;
    }

    /** Every node, parents before children, siblings by name. */
    public List<Node> nodes() {
        return List.copyOf(byPath.values());
    }

    public Optional<Node> node(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** The parent of {@code node}; empty for the root. */
    public Optional<Node> parent(Node node) {
        String path = node.path();
        if (path.equals("/")) {
            return Optional.empty();
        }
        int slash = path.lastIndexOf('/');
        return node(slash == 0 ? "/" : path.substring(0, slash));
    }

    public Optional<Node> byPhandle(long phandle) {
        return Optional.ofNullable(byPhandle.get(phandle));
    }

    /** The node's phandle, or 0 (never a valid phandle) when it has none. */
    public long phandle(Node node) throws DeviceTreeException {
        return ownPhandle(node);
    }

    /** {@code phandle}, or the older {@code linux,phandle}; both present must agree. */
    private long ownPhandle(Node node) throws DeviceTreeException {
        long phandle = PHANDLE_NONE;
        for (String name : List.of("phandle", "linux,phandle")) {
            Optional<Property> p = node.property(name);
            if (p.isEmpty()) {
                continue;
            }
            long value = u32(node, p.get());
            if (value == PHANDLE_NONE || value == PHANDLE_ILLEGAL) {
                throw error(node, String.format("%s 0x%x is not a valid phandle", name, value));
            }
            if (phandle != PHANDLE_NONE && phandle != value) {
                throw error(node, String.format("phandle 0x%x and linux,phandle 0x%x disagree", phandle, value));
            }
            phandle = value;
        }
        return phandle;
    }

    /** A string-list property ({@code compatible}, {@code firmware-name}); empty when absent. */
    public List<String> strings(Node node, String name) throws DeviceTreeException {
        Optional<Property> p = node.property(name);
        if (p.isEmpty()) {
            return List.of();
        }
        Property prop = p.get();
        if (prop.length() == 0 || prop.at(prop.length() - 1) != 0) {
            throw error(node, name + " is not a NUL-terminated string list");
        }
        List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < prop.length(); i++) {
            byte b = prop.at(i);
            if (b == 0) {
                strings.add(new String(prop.value(), start, i - start, StandardCharsets.US_ASCII));
                start = i + 1;
            } else if (b < 0x20 || b > 0x7e) {
                throw error(node, String.format("%s has byte 0x%02x at %d: not a printable string list", name, b & 0xff, i));
            }
        }
        return List.copyOf(strings);
    }

    /** Whether {@code status} is absent, "okay" or "ok": the kernel ignores any other node. */
    public boolean isEnabled(Node node) throws DeviceTreeException {
        List<String> status = strings(node, "status");
        return status.isEmpty() || status.getFirst().equals("okay") || status.getFirst().equals("ok");
    }

    /** {@code name} of {@code node}, one 32-bit cell; empty when absent. */
    public Optional<Long> u32(Node node, String name) throws DeviceTreeException {
        Optional<Property> p = node.property(name);
        return p.isEmpty() ? Optional.empty() : Optional.of(u32(node, p.get()));
    }

    private long u32(Node node, Property p) throws DeviceTreeException {
        if (p.length() != 4) {
            throw error(node, p.name() + " is " + p.length() + " bytes, not one 32-bit cell");
        }
        return cells(p, 0, 1);
    }

    /**
     * The {@code reg} entries of {@code node}, decoded with its parent's {@code #address-cells} and
     * {@code #size-cells} (1 or 2 each; 0 size cells for buses without sizes).
     */
    public List<Reg> reg(Node node) throws DeviceTreeException {
        Optional<Property> p = node.property("reg");
        if (p.isEmpty()) {
            return List.of();
        }
        Node parent = parent(node).orElse(root);
        int addressCells = cellCount(parent, "#address-cells", DEFAULT_ADDRESS_CELLS);
        int sizeCells = cellCount(parent, "#size-cells", DEFAULT_SIZE_CELLS);
        if (addressCells == 0) {
            throw error(node, "reg under " + parent.path() + " with #address-cells 0");
        }
        int entry = 4 * (addressCells + sizeCells);
        Property reg = p.get();
        if (reg.length() == 0 || reg.length() % entry != 0) {
            throw error(node, String.format("reg is %d bytes, not a multiple of %d (#address-cells %d + #size-cells %d of %s)",
                    reg.length(), entry, addressCells, sizeCells, parent.path()));
        }
        List<Reg> regs = new ArrayList<>();
        for (int at = 0; at < reg.length(); at += entry) {
            regs.add(new Reg(cells(reg, at, addressCells), sizeCells == 0 ? 0 : cells(reg, at + 4 * addressCells, sizeCells)));
        }
        return List.copyOf(regs);
    }

    /** {@code #address-cells} or {@code #size-cells} of {@code node}, which mdtload reads up to 2. */
    public int cellCount(Node node, String name, int defaultCells) throws DeviceTreeException {
        long cells = u32(node, name).orElse((long) defaultCells);
        if (cells > MAX_CELLS) {
            throw error(node, name + " is " + cells + ": mdtload reads addresses and sizes of at most " + MAX_CELLS + " cells");
        }
        return (int) cells;
    }

    /**
     * The nodes a phandle-list property points to ({@code memory-region = <&a>, <&b>}); empty when
     * absent. A phandle that names no node is an error: the kernel would fail the same lookup.
     */
    public List<Node> references(Node node, String name) throws DeviceTreeException {
        Optional<Property> p = node.property(name);
        if (p.isEmpty()) {
            return List.of();
        }
        Property prop = p.get();
        if (prop.length() == 0 || prop.length() % 4 != 0) {
            throw error(node, name + " is " + prop.length() + " bytes, not a list of 32-bit phandles");
        }
        List<Node> targets = new ArrayList<>();
        for (int at = 0; at < prop.length(); at += 4) {
            long phandle = cells(prop, at, 1);
            Optional<Node> target = byPhandle(phandle);
            if (target.isEmpty()) {
                throw error(node, String.format("%s refers to phandle 0x%x, which no node has", name, phandle));
            }
            targets.add(target.get());
        }
        return List.copyOf(targets);
    }

    /** {@code count} big-endian 32-bit cells from byte {@code at} as one unsigned number (count <= 2). */
    private static long cells(Property p, int at, int count) {
        long value = 0;
        for (int i = 0; i < 4 * count; i++) {
            value = (value << 8) | (p.at(at + i) & 0xff);
        }
        return value;
    }

    DeviceTreeException error(Node node, String message) {
        return new DeviceTreeException(source, node.path(), message);
    }
}
