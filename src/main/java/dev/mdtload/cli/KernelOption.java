package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.kernel.KernelRules;
import dev.mdtload.kernel.RunningKernel;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * --kernel: whose loader rules a verdict follows (docs/rules.md, dev.mdtload.kernel.LoaderChange).
 * Default: on a Qualcomm board the running kernel, elsewhere the newest the model knows.
 */
final class KernelOption {
    static final String ALL = "all";
    static final String NONE = "none";

    @Option(names = "--kernel", paramLabel = "VERSION",
            description = "Kernel whose loader rules apply, e.g. 6.1.192 (default: the running kernel on a Qualcomm "
                    + "board, else the newest modelled); 'all' gives the verdict per version range; 'none' checks "
                    + "mdtload's own structural rules only (it reads ELF64, which no kernel loads).")
    String kernel;

    boolean all() {
        return ALL.equals(kernel);
    }

    /** The one kernel asked for, or the default, or null for none; not for {@link #all()}. */
    KernelRules rules() throws UsageFailure {
        if (all()) {
            throw new UsageFailure("--kernel all judges images (validate); this command needs one kernel");
        }
        if (NONE.equals(kernel)) {
            return null;
        }
        if (kernel == null) {
            return RunningKernel.defaultRules(Path.of("/"));
        }
        try {
            return KernelRules.of(kernel);
        } catch (IllegalArgumentException e) {
            throw new UsageFailure("--kernel: " + e.getMessage());
        }
    }

    /** For provision: the version given, which overrides the manifest's kernel setting; null when not given. */
    KernelRules version() throws UsageFailure {
        if (kernel == null) {
            return null;
        }
        if (all() || NONE.equals(kernel)) {
            throw new UsageFailure("--kernel " + kernel + ": provision brings up a board, which runs one kernel");
        }
        return rules();
    }

    /** The kernels to judge against: one, or the first release of every modelled range. */
    List<KernelRules> each() throws UsageFailure {
        return all() ? KernelRules.boundaries().stream().map(KernelRules::new).toList() : List.of(rules());
    }
}
