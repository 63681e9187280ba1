package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.kernel.KernelRules;
import dev.mdtload.kernel.RunningKernel;
import picocli.CommandLine.Model.CommandSpec;
import dev.mdtload.kernel.TargetKernel;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * --kernel: whose loader rules a verdict follows (docs/rules.md, dev.mdtload.kernel.LoaderChange).
 * Default: on a Qualcomm board the running kernel, elsewhere the newest the model knows.
 */
final class KernelOption {
    static final String ALL = "all";
    static final String NONE = TargetKernel.NONE.toString();

    @Option(names = "--kernel", paramLabel = "VERSION",
            description = "Kernel whose loader rules apply, e.g. 6.1.192 (default: the running kernel on a Qualcomm "
                    + "board, else the newest modelled); 'all' gives the verdict per version range; 'none' checks "
                    + "mdtload's own structural rules only (it reads ELF64, which no kernel loads).")
    String kernel;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    boolean all() {
        return ALL.equals(kernel);
    }

    /** The one kernel asked for, or the default, or none; not for {@link #all()}. */
    TargetKernel rules() throws UsageFailure {
        if (all()) {
            throw new UsageFailure("--kernel all judges images (validate); this command needs one kernel");
        }
        return NONE.equals(kernel) ? TargetKernel.NONE : release();
    }

    /** The release given, or the default. */
    private KernelRules release() throws UsageFailure {
        if (kernel == null) {
            KernelRules rules = RunningKernel.defaultRules(Path.of("/"));
            Verbosity.decided(command, "judging by kernel " + rules + "'s loader rules (without --kernel: "
                    + "the running kernel on a Qualcomm board, else the newest the model knows)");
            return rules;
        }
        try {
            return KernelRules.of(kernel);
        } catch (IllegalArgumentException e) {
            throw new UsageFailure("--kernel: " + e.getMessage());
        }
    }

    /** For provision: the version given, which overrides the manifest's kernel setting; empty when not given. */
    Optional<KernelRules> version() throws UsageFailure {
        if (kernel == null) {
            return Optional.empty();
        }
        if (all() || NONE.equals(kernel)) {
            throw new UsageFailure("--kernel " + kernel + ": provision brings up a board, which runs one kernel");
        }
        return Optional.of(release());
    }

    /** The kernels to judge against: one, or the first release of every modelled range. */
    List<TargetKernel> each() throws UsageFailure {
        return all() ? KernelRules.boundaries().stream().<TargetKernel>map(KernelRules::new).toList() : List.of(rules());
    }
}
