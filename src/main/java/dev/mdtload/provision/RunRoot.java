package dev.mdtload.provision;

import dev.mdtload.posix.PosixException;
import dev.mdtload.rproc.Remoteproc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The root a run starts its remote processors under, and what it holds there until it ends: the
 * board's root under the run's lock; for a dry run, a copy of the processors' sysfs attributes,
 * or the root itself untouched when the plan starts no remote processor.
 */
sealed interface RunRoot extends AutoCloseable {
    /** The root the run reads sysfs and stages firmware under. */
    Path root();

    @Override
    void close() throws IOException, PosixException;

    /** A real run holds the board-wide lock from its first write to its last. */
    record Locked(ProvisionLock lock, Path root) implements RunRoot {
        @Override
        public void close() throws PosixException {
            lock.close();
        }
    }

    /** A dry run that starts remote processors starts them in a copy, deleted on close. */
    record Copied(DryRunTree tree) implements RunRoot {
        @Override
        public Path root() {
            return tree.root();
        }

        @Override
        public void close() throws IOException {
            tree.close();
        }
    }

    /** A dry run that starts no remote processor reads the board's root and writes nothing there. */
    record Untouched(Path root) implements RunRoot {
        @Override
        public void close() {
            // nothing was taken
        }
    }

    /** What a run of {@code plan} needs under its root, taken now. */
    static RunRoot of(Plan plan, List<Remoteproc> processors) throws IOException, PosixException {
        if (!plan.dryRun()) {
            return new Locked(ProvisionLock.acquire(plan.root()), plan.root());
        }
        return processors.isEmpty() ? new Untouched(plan.root()) : new Copied(DryRunTree.copy(plan.root(), processors));
    }
}
