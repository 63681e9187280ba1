package dev.mdtload.provision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provisioning run did, for people and for factory scripts: every step with its result and
 * timing, each processor's final state, and, after a failure, which step of which processor
 * failed and which processors were stopped again.
 *
 * @param processors in bring-up order
 * @param problems   why the plan was refused, one line each; empty when it ran
 * @param failure    the step that failed, or none: every processor started, or the plan was refused and nothing ran
 * @param rolledBack the processors stopped after the failure, in the order they were stopped
 * @param micros     planning and running, in all
 */
public record Report(String manifest, String root, boolean dryRun, List<ProcessorState> processors,
                     List<ReportStep> steps, List<String> problems, Ending failure, List<String> rolledBack,
                     long micros) {
    public Report {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(failure, "failure");
        processors = List.copyOf(processors);
        steps = List.copyOf(steps);
        problems = List.copyOf(problems);
        rolledBack = List.copyOf(rolledBack);
    }

    /** running, stopped (rolled back), failed, stop_failed (a rollback step failed), or not_started. */
    public record ProcessorState(String name, String method, int order, String state) {}

    /** How the run ended, as far as the processors' steps go. */
    public sealed interface Ending {}

    /** No step failed; the JSON's {@code failure} is null, as the report has always had it. */
    public record NoFailure() implements Ending {
        @JsonValue
        public Object json() {
            return null;
        }
    }

    /** The step that stopped the run; {@code cause} is for exit codes, not for the JSON. */
    public record FailedStep(String processor, String step, String message, @JsonIgnore Exception cause) implements Ending {
        public FailedStep {
            Objects.requireNonNull(processor, "processor");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(cause, "cause");
        }
    }

    @JsonIgnore
    public Optional<FailedStep> failed() {
        return failure instanceof FailedStep f ? Optional.of(f) : Optional.empty();
    }

    @JsonIgnore
    public boolean refused() {
        return !problems.isEmpty();
    }
}
