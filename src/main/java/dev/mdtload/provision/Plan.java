package dev.mdtload.provision;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.preflight.BoardFacts;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of checking a manifest against a board, before anything is touched: for each
 * processor its validated image and resolved carveout, or the problems that refuse the whole
 * run. Building one reads the manifest's images, the device tree and sysfs and writes nothing.
 * Closing it releases the images' mappings.
 */
public final class Plan implements AutoCloseable {
    private final Manifest manifest;
    private final BoardFacts facts;
    private final Path root;
    private final boolean dryRun;
    private final List<Planned> items;
    private final List<String> problems;
    private final List<ReportStep> checks;
    private final PhysAddr sharedBase;
    private final long micros;

    Plan(Manifest manifest, BoardFacts facts, Path root, boolean dryRun, List<Planned> items, List<String> problems,
         List<ReportStep> checks, PhysAddr sharedBase, long micros) {
        this.manifest = manifest;
        this.facts = facts;
        this.root = root;
        this.dryRun = dryRun;
        this.items = List.copyOf(items);
        this.problems = List.copyOf(problems);
        this.checks = List.copyOf(checks);
        this.sharedBase = sharedBase;
        this.micros = micros;
    }

    /**
     * Checks every entry of {@code manifest} against the board under {@code root}: each image
     * (digests included), each carveout (found, present, big enough, overlapping no other entry's),
     * each firmware name and remote processor. A dry run checks the carveouts it will really use:
     * anonymous memory at the same addresses.
     */
    public static Plan of(Manifest manifest, Path root, boolean dryRun) {
        return new Planner(manifest, root, dryRun).plan();
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The manifest's {@code facts:}, with the SoC the board's device tree names when they name none. */
    public BoardFacts facts() {
        return facts;
    }

    public Path root() {
        return root;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** Every reason the run is refused, one line each ({@code FILE:LINE: processor NAME: what}); empty when ready. */
    public List<String> problems() {
        return problems;
    }

    public boolean ready() {
        return problems.isEmpty();
    }

    /** The checks made, each as a plan-phase step, failed ones included. */
    public List<ReportStep> checks() {
        return checks;
    }

    /** The number of run-phase steps a run that succeeds takes. */
    public int runSteps() {
        return items.stream().mapToInt(Planned::steps).sum();
    }

    /** How long planning took. */
    public long micros() {
        return micros;
    }

    List<Planned> items() {
        return items;
    }

    /** Where the secure world's shared buffers go: clear of every carveout the plan knows. */
    PhysAddr sharedBase() {
        return sharedBase;
    }

    @Override
    public void close() {
        items.forEach(Planned::close);
    }
}
