package dev.mdtload.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mdtload.check.Rule;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One in-process run of the command line, exactly as {@link Main#run} wires it, with stdout and stderr captured. */
public record CliRun(int exit, String out, String err) {
    /** How a warning's line starts, before the image's name. */
    static final String WARNING = "mdtload: warning: ";
    /** "mdtload: FILE: [segment N: ]message [rule-id]" */
    private static final Pattern RULE_LINE = Pattern.compile("mdtload: .+: .+ \\[[a-z0-9]+(-[a-z0-9]+)*]");

    public static CliRun of(Object... args) {
        return of(CommandLine.defaultFactory(), args);
    }

    /** As {@link #of(Object...)}, with {@code factory} making the subcommands (a load with a secure world that fails on cue). */
    static CliRun of(CommandLine.IFactory factory, Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            strings[i] = args[i].toString();
        }
        CommandLine cmd = CommandTree.commandLine(factory, strings);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(strings);
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * One {@code --json} line read as a script reads it: the envelope's {@code result}, with the
     * envelope's {@code exit_code}, {@code errors} and {@code warnings} beside its fields.
     */
    public static JsonNode result(String envelope) {
        try {
            JsonNode e = new ObjectMapper().readTree(envelope);
            ObjectNode flat = e.get("result").isObject() ? (ObjectNode) e.get("result").deepCopy() : new ObjectMapper().createObjectNode();
            flat.set("exit_code", e.get("exit_code"));
            flat.set("errors", e.get("errors"));
            flat.set("warnings", e.get("warnings"));
            return flat;
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + envelope, e);
        }
    }

    public List<String> outLines() {
        return out.lines().toList();
    }

    public List<String> errLines() {
        return err.lines().toList();
    }

    /** Nothing on stderr looks like a stack trace. */
    public void assertNoStackTrace() {
        assertFalse(err.contains("\tat ") || err.contains("Exception") || err.contains("Caused by"), err);
        assertFalse(out.contains("\tat ") || out.contains("Exception"), out);
    }

    /**
     * Exit 1, and every stderr line is one rule violation naming {@code image}; one of them is
     * {@code rule} on {@code segment}.
     */
    public void assertInvalid(Path image, int segment, Rule rule) {
        assertInvalid(image);
        String where = image + ": segment " + segment + ": ";
        assertTrue(errLines().stream().anyMatch(l -> l.startsWith("mdtload: " + where) && l.endsWith("[" + rule.id() + "]")),
                () -> "expected '" + where + "... [" + rule.id() + "]' in:\n" + err);
    }

    /**
     * Exit 1, at least one error, and every stderr line is a one-line violation naming {@code image}
     * (an error, or a warning marked {@code mdtload: warning: }).
     */
    public void assertInvalid(Path image) {
        assertEquals(ExitCode.INVALID, exit, this::toString);
        assertNoStackTrace();
        assertFalse(errLines().stream().noneMatch(l -> !l.startsWith(WARNING)), "an invalid image must say why");
        assertViolationLines(image);
        assertTrue(outLines().stream().anyMatch(l -> l.startsWith("INVALID " + image + ":")), out);
    }

    private void assertViolationLines(Path image) {
        for (String line : errLines()) {
            assertTrue(RULE_LINE.matcher(line).matches(), () -> "not a one-line violation: " + line);
            String unmarked = line.startsWith(WARNING) ? "mdtload: " + line.substring(WARNING.length()) : line;
            assertTrue(unmarked.startsWith("mdtload: " + image + ": "), () -> "does not name " + image + ": " + line);
        }
    }

    public void assertValid() {
        assertEquals(ExitCode.OK, exit, this::toString);
        assertEquals("", err);
    }

    /** Exit 0, and nothing on stderr but warnings: the device loads what these name. */
    public void assertValidWithWarningsOnly() {
        assertEquals(ExitCode.OK, exit, this::toString);
        assertTrue(errLines().stream().allMatch(l -> l.startsWith(WARNING)), err);
    }

    /** Exit 0, only warnings on stderr, one of them {@code rule} on {@code segment} of {@code image}, and the verdict line names it. */
    public void assertValidWithWarning(Path image, int segment, Rule rule) {
        assertEquals(ExitCode.OK, exit, this::toString);
        assertViolationLines(image);
        assertTrue(errLines().stream().allMatch(l -> l.startsWith(WARNING)), err);
        String where = WARNING + image + ": segment " + segment + ": ";
        assertTrue(errLines().stream().anyMatch(l -> l.startsWith(where) && l.endsWith("[" + rule.id() + "]")),
                () -> "expected '" + where + "... [" + rule.id() + "]' in:\n" + err);
        assertTrue(outLines().stream().anyMatch(l -> l.startsWith("VALID   " + image + ":") && l.contains(rule.id())), out);
    }

    /** For assertion messages: everything the run said. */
    @Override
    public String toString() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
