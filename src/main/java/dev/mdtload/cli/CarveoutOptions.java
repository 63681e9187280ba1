package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.Carveouts;
import dev.mdtload.load.Target;

import java.util.List;

/**
 * {@code --phys} and {@code --size} as {@code map} and {@code load} take them, checked by the
 * carveout package's one rule set (manifests use it too) before any file is opened.
 */
final class CarveoutOptions {
    private CarveoutOptions() {}

    static void check(PhysAddr phys, long size) throws UsageFailure {
        refuse(Carveouts.problems(phys, size, Carveouts.Names.OPTIONS));
    }

    /**
     * {@code load}'s options. Only {@code --phys} is checked with the size here: a DMA address is
     * physical only once translated, and a carveout's own base is known once it is opened; both are
     * checked by the same rules then.
     */
    static void check(Target target, long size) throws UsageFailure {
        check(target, size, Carveouts.Names.OPTIONS);
    }

    /** The same check of another pair of options ({@code --companion-phys}, {@code --companion-size}). */
    static void check(Target target, long size, Carveouts.Names names) throws UsageFailure {
        refuse(switch (target) {
            case Target.Phys phys -> Carveouts.problems(phys.addr(), size, names);
            case Target.Dma ignored -> Carveouts.problems(size, names);
            case Target.CarveoutsOwn ignored -> Carveouts.problems(size, names);
        });
    }

    private static void refuse(List<String> problems) throws UsageFailure {
        if (!problems.isEmpty()) {
            throw new UsageFailure(problems.getFirst());
        }
    }
}
