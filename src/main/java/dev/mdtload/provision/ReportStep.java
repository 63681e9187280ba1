package dev.mdtload.provision;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * One step of a provisioning run, as the report lists it.
 *
 * @param phase     plan, run or rollback
 * @param processor the entry the step is about, or the whole manifest
 * @param step      validate, carveout, init_image, copy, stage, boot, shutdown, wipe, stop, ...
 * @param result    ok, failed or skipped
 * @param detail    what was done, or why it failed or was skipped
 */
public record ReportStep(String phase, Subject processor, String step, String result, long micros, String detail) {
    /** Phases: the checks before anything is touched, the bring-up, and the undoing after a failure. */
    public static final String PLAN = "plan";
    public static final String RUN = "run";
    public static final String ROLLBACK = "rollback";

    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    /** What a step is about: one entry, or every entry at once (the overlap check). */
    public sealed interface Subject {
        /** As the text report's column shows it. */
        String label();
    }

    /** The entry named {@code name}; the JSON gives its name. */
    public record Processor(String name) implements Subject {
        public Processor {
            Objects.requireNonNull(name, "name");
        }

        @JsonValue
        @Override
        public String label() {
            return name;
        }
    }

    /** The manifest as a whole; the JSON's {@code processor} is null, as the report's schema has always had it. */
    public record WholeManifest() implements Subject {
        @Override
        public String label() {
            return "-";
        }

        @JsonValue
        Object json() {
            return null;
        }
    }

    public ReportStep {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(result, "result");
    }

    public boolean failed() {
        return result.equals(FAILED);
    }
}
