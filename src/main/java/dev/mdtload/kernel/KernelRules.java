package dev.mdtload.kernel;

import java.util.List;
import java.util.TreeSet;

/**
 * The loader rules of one kernel release, as {@link LoaderChange}'s table says. The model starts at
 * 6.1 (the oldest kernel checked against, Debian 12's): older releases predate the split-image
 * loader's current shape and are refused rather than guessed.
 */
public record KernelRules(KernelVersion version) implements TargetKernel {
    /** The oldest release the model covers. */
    public static final KernelVersion OLDEST = new KernelVersion(6, 1, 0);

    public KernelRules {
        if (version.compareTo(OLDEST) < 0) {
            throw new IllegalArgumentException("kernel " + version + " is older than the model covers ("
                    + OLDEST + " and later)");
        }
    }

    /** The rules of the newest release the table knows: every change applies. */
    public static KernelRules newest() {
        return new KernelRules(boundaries().getLast());
    }

    public static KernelRules of(String version) {
        return new KernelRules(KernelVersion.parse(version));
    }

    public boolean has(LoaderChange change) {
        return change.in(version);
    }

    /**
     * The releases where the rules change, oldest first: {@link #OLDEST}, every mainline release and
     * every backport in the table of a change that can move a verdict, and the first release of the
     * series after a backport's (6.13 after 6.12.95: a backport covers its own series only). Between
     * two of them every release gives every image the verdict of the first.
     */
    public static List<KernelVersion> boundaries() {
        TreeSet<KernelVersion> all = new TreeSet<>();
        all.add(OLDEST);
        for (LoaderChange c : LoaderChange.values()) {
            if (c.effect() == LoaderChange.Effect.NONE) {
                continue;
            }
            if (c.mainline().compareTo(OLDEST) > 0) {
                all.add(c.mainline());
            }
            for (KernelVersion b : c.backports()) {
                all.add(b);
                KernelVersion nextSeries = new KernelVersion(b.major(), b.minor() + 1, 0);
                if (nextSeries.compareTo(c.mainline()) < 0) {
                    all.add(nextSeries);
                }
            }
        }
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return version.toString();
    }
}
