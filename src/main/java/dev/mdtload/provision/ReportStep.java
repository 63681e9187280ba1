package dev.mdtload.provision;

import java.util.Objects;

/**
 * One step of a provisioning run, as the report lists it.
 *
 * @param phase     plan, run or rollback
 * @param processor the entry's name; null for a step about the whole manifest
 * @param step      validate, carveout, init_image, copy, stage, boot, shutdown, wipe, stop, ...
 * @param result    ok, failed or skipped
 * @param detail    what was done, or why it failed or was skipped
 */
public record ReportStep(String phase, String processor, String step, String result, long micros, String detail) {
    /** Phases: the checks before anything is touched, the bring-up, and the undoing after a failure. */
    public static final String PLAN = "plan";
    public static final String RUN = "run";
    public static final String ROLLBACK = "rollback";

    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    public ReportStep {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(result, "result");
    }

    public boolean failed() {
        return result.equals(FAILED);
    }
}
