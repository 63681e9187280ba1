package dev.mdtload.board;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.ReservedMemory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a board's device tree says about firmware: its fixed carveouts (sorted by base address),
 * its remote processors (in tree order) with the carveouts they use, and every overlap between two
 * carveouts.
 *
 * <p>Under {@code /reserved-memory} only enabled children with a non-empty {@code reg} are
 * carveouts: a region with only a {@code size} is placed by the kernel at boot and has no address
 * to load to, and a disabled or empty one reserves nothing. Its {@code #address-cells} and {@code #size-cells} must be
 * 1 or 2, and each carveout has exactly one {@code reg} entry.
 */
public record Board(String source, List<Carveout> carveouts, List<Processor> processors, List<Overlap> overlaps) {
    /** Where the kernel exports the live tree, relative to the root of the file system. */
    public static final String LIVE_TREE = "sys/firmware/devicetree/base";
    static final String RESERVED_MEMORY = "/reserved-memory";

    public Board {
        Objects.requireNonNull(source, "source");
        carveouts = List.copyOf(carveouts);
        processors = List.copyOf(processors);
        overlaps = List.copyOf(overlaps);
    }

    /** The board whose live tree is under {@code root} ({@code ROOT/sys/firmware/devicetree/base}). */
    public static Board read(Path root) throws IOException, DeviceTreeException {
        return of(DeviceTree.readLive(root.resolve(LIVE_TREE)));
    }

    /**
     * The root node's {@code compatible} strings in the live tree under {@code root}, most specific
     * first ({@code "lenovo,yoga-slim7x", "qcom,x1e80100"}); none on a machine without a device tree,
     * or whose tree cannot be read: they only fill in the SoC a user may give as a fact, and a
     * secure world that needed it refuses naming what to give. Read on its own: a whole live tree
     * is thousands of files, and only this one is wanted.
     */
    public static List<String> rootCompatible(Path root) {
        try {
            // a string list property: each string ends with a NUL
            return Arrays.stream(new String(Files.readAllBytes(root.resolve(LIVE_TREE).resolve("compatible")),
                    StandardCharsets.US_ASCII).split("\0")).filter(s -> !s.isEmpty()).toList();
        } catch (IOException noTree) {
            return List.of();
        }
    }

    /** The board described by a {@code .dtb} file. */
    public static Board readDtb(Path dtb) throws IOException, DeviceTreeException {
        return of(DeviceTree.readBlob(dtb));
    }

    public static Board of(DeviceTree tree) throws DeviceTreeException {
        List<Carveout> carveouts = carveouts(tree);
        List<Processor> processors = new ArrayList<>();
        for (Node node : tree.nodes()) {
            if (isProcessor(tree, node)) {
                processors.add(processor(tree, node));
            }
        }
        return new Board(tree.source(), carveouts, processors, overlaps(carveouts));
    }

    private static List<Carveout> carveouts(DeviceTree tree) throws DeviceTreeException {
        Optional<Node> reserved = tree.node(RESERVED_MEMORY);
        if (reserved.isEmpty()) {
            return List.of();
        }
        Node parent = reserved.get();
        for (String cells : List.of("#address-cells", "#size-cells")) {
            if (tree.cellCount(parent, cells, 1) == 0) {
                throw tree.error(parent, cells + " is 0: reserved-memory addresses and sizes take 1 or 2 cells");
            }
        }
        List<Carveout> carveouts = new ArrayList<>();
        for (Node node : parent.children()) {
            List<DeviceTree.Reg> regs = tree.reg(node);
            if (regs.isEmpty() || !tree.isEnabled(node)) {
                continue;
            }
            if (regs.size() > 1) {
                throw tree.error(node, regs.size() + " reg entries: mdtload reads one region per reserved-memory node");
            }
            DeviceTree.Reg reg = regs.getFirst();
            if (reg.size() == 0) {
                continue;
            }
            // both are unsigned 64-bit; PhysAddr and the end must stay below 2^63
            if (reg.address() < 0 || reg.size() < 0 || reg.address() > Long.MAX_VALUE - reg.size()) {
                throw tree.error(node, String.format("reg 0x%x size 0x%x reaches past 2^63",
                        reg.address(), reg.size()));
            }
            carveouts.add(new Carveout(node.name(), node.path(), PhysAddr.of(reg.address()), reg.size(),
                    node.has("no-map"), tree.phandle(node)));
        }
        carveouts.sort(Comparator.comparing(Carveout::base).thenComparing(Carveout::name));
        return carveouts;
    }

    private static boolean isProcessor(DeviceTree tree, Node node) throws DeviceTreeException {
        if (node.has("memory-region")) {
            return true;
        }
        return tree.strings(node, "compatible").stream().anyMatch(Processor::isPas);
    }

    private static Processor processor(DeviceTree tree, Node node) throws DeviceTreeException {
        List<String> regions = new ArrayList<>();
        for (Node target : tree.references(node, "memory-region")) {
            if (!tree.parent(target).map(Node::path).orElse("").equals(RESERVED_MEMORY)) {
                throw tree.error(node, "memory-region points to " + target.path() + ", which is not a "
                        + RESERVED_MEMORY + " node");
            }
            regions.add(target.name());
        }
        return new Processor(node.name(), node.path(), tree.strings(node, "compatible"),
                tree.strings(node, "firmware-name"), regions, tree.isEnabled(node));
    }

    /** Carveouts sorted by base: each is compared with the following ones that start before it ends. */
    private static List<Overlap> overlaps(List<Carveout> sorted) {
        List<Overlap> overlaps = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Carveout a = sorted.get(i);
            for (int j = i + 1; j < sorted.size() && sorted.get(j).base().compareTo(a.end()) < 0; j++) {
                Carveout b = sorted.get(j);
                a.range().intersection(b.range())
                        .ifPresent(shared -> overlaps.add(new Overlap(a.name(), b.name(), shared.base(), shared.end())));
            }
        }
        return overlaps;
    }

    public Optional<Carveout> carveout(String name) {
        return carveouts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The processors whose {@code memory-region} includes {@code carveout}, enabled or not. */
    public List<Processor> usedBy(Carveout carveout) {
        return processors.stream().filter(p -> p.memoryRegions().contains(carveout.name())).toList();
    }

    /** The fixed carveouts among {@code processor}'s memory regions, in its order. */
    public List<Carveout> carveoutsOf(Processor processor) {
        return processor.memoryRegions().stream().flatMap(r -> carveout(r).stream()).toList();
    }

    /** {@code reserved:NAME} lookups over these carveouts; see {@link BoardReservedMemory} for the rules. */
    public ReservedMemory reservedMemory() {
        return new BoardReservedMemory(this);
    }
}
