package dev.mdtload.kernel;

/**
 * Whose loader rules a verdict follows: one kernel release's, or no kernel's at all (mdtload's own
 * structural rules only: {@code --kernel none}, and the tools that transform images, since mdtload
 * reads ELF64, which no kernel loads).
 */
public sealed interface TargetKernel permits KernelRules, TargetKernel.None {
    /** No kernel: only mdtload's own structural rules apply. */
    TargetKernel NONE = new None();

    /** No kernel's rules; named as {@code --kernel} spells it, which reports echo. */
    record None() implements TargetKernel {
        @Override
        public String toString() {
            return "none";
        }
    }
}
