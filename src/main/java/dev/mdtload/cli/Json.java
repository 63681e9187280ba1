package dev.mdtload.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mdtload.check.Basis;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Violation;
import dev.mdtload.failure.Failure;
import dev.mdtload.image.LoadLayout;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;

/**
 * JSON as every command writes it: snake_case fields, one {@link Envelope} per line, the same
 * shape on success and on failure ({@code docs/mdtload-output.schema.json}).
 */
final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * What every {@code --json} line is: which command, whether it succeeded and its exit code, what
     * it found ({@code result}, null when it failed before finding anything), and every problem.
     */
    public record Envelope(String command, boolean ok, int exitCode, Object result, List<Problem> errors,
                           List<Problem> warnings) {}

    /**
     * One error or warning: a rule id (or errno, or the failure's kind), the file and segment it
     * concerns where known, and for an image rule whose verdict it predicts ({@code basis}).
     */
    public record Problem(String rule, String severity, String path, Integer segment, String message, Basis basis) {
        Problem(String rule, String path, String message) {
            this(rule, "error", path, null, message, null);
        }

        static List<Problem> errors(List<Violation> violations) {
            return violations.stream().map(v -> new Problem(v.rule().id(), "error", v.file(), v.segment(), v.message(), v.basis())).toList();
        }

        static List<Problem> warnings(List<Violation> violations) {
            return violations.stream().map(v -> new Problem(v.rule().id(), "warning", v.file(), v.segment(), v.message(), v.basis())).toList();
        }

        /** Every line of {@code failure} as an error: each rule an invalid image breaks, else the failure's own lines. */
        static List<Problem> errors(Failure failure) {
            return failure instanceof InvalidImageException invalid ? errors(invalid.violations())
                    : failure.lines().stream().map(l -> new Problem(failure.ruleId(), null, l)).toList();
        }
    }

    /** One segment's place in a carveout, as {@code map --json} and {@code load --json} report it. */
    public record PlacementView(int segment, long offset, long address, long filesz, long memsz) {
        static List<PlacementView> of(List<LoadLayout.Placement> placements) {
            return placements.stream().map(p -> new PlacementView(p.phdr().index(), p.offset(), p.address(),
                    p.phdr().p_filesz(), p.phdr().p_memsz())).toList();
        }
    }

    /** A command's envelope. */
    static String envelope(CommandSpec spec, int exitCode, Object result, List<Problem> errors, List<Problem> warnings) {
        return line(new Envelope(name(spec), exitCode == ExitCode.OK, exitCode, result, errors, warnings));
    }

    /** A command's envelope for an image's verdict: {@code errors} and {@code warnings} the rules it broke or met. */
    static String verdict(CommandSpec spec, int exitCode, Object result, List<Violation> errors, List<Violation> warnings) {
        return envelope(spec, exitCode, result, Problem.errors(errors), Problem.warnings(warnings));
    }

    /** A command that succeeded with nothing to warn about. */
    static String success(CommandSpec spec, Object result) {
        return envelope(spec, ExitCode.OK, result, List.of(), List.of());
    }

    /** A command (or one image of many) stopped by {@code failure} before it had a result. */
    static String failure(CommandSpec spec, Failure failure) {
        return envelope(spec, failure.kind().exitCode(), null, Problem.errors(failure), List.of());
    }

    /** "validate", "rproc start": the command line's words after {@code mdtload}. */
    private static String name(CommandSpec spec) {
        String qualified = spec.qualifiedName(" ");
        int space = qualified.indexOf(' ');
        return space < 0 ? qualified : qualified.substring(space + 1);
    }

    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // every value written is a record of strings, numbers and lists
            throw new AssertionError("cannot serialise " + value.getClass(), e);
        }
    }
}
