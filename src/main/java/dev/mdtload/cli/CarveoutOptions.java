package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.Carveouts;

import java.util.List;
import java.util.Optional;

/**
 * {@code --phys} and {@code --size} as {@code map} and {@code load} take them, checked by the
 * carveout package's one rule set (manifests use it too) before any file is opened.
 */
final class CarveoutOptions {
    private CarveoutOptions() {}

    static void check(Optional<PhysAddr> phys, long size) throws UsageFailure {
        check(phys, size, Carveouts.Names.OPTIONS);
    }

    /** The same check of another pair of options ({@code --companion-phys}, {@code --companion-size}). */
    static void check(Optional<PhysAddr> phys, long size, Carveouts.Names names) throws UsageFailure {
        List<String> problems = Carveouts.problems(phys, size, names);
        if (!problems.isEmpty()) {
            throw new UsageFailure(problems.getFirst());
        }
    }
}
