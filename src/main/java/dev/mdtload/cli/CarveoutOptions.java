package dev.mdtload.cli;

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

    static void check(Optional<PhysAddr> phys, long size) {
        List<String> problems = Carveouts.problems(phys, size, Carveouts.Names.OPTIONS);
        if (!problems.isEmpty()) {
            throw new UsageException(problems.getFirst());
        }
    }
}
