package dev.mdtload.cli;

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
        CommandLine cmd = Main.commandLine(factory, strings);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(strings);
        return new CliRun(code, out.toString(), err.toString());
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

    /** Exit 1, at least one violation, and every stderr line is a one-line violation naming {@code image}. */
    public void assertInvalid(Path image) {
        assertEquals(ExitCode.INVALID, exit, this::toString);
        assertNoStackTrace();
        assertFalse(errLines().isEmpty(), "an invalid image must say why");
        for (String line : errLines()) {
            assertTrue(RULE_LINE.matcher(line).matches(), () -> "not a one-line violation: " + line);
            assertTrue(line.startsWith("mdtload: " + image + ": "), () -> "does not name " + image + ": " + line);
        }
        assertTrue(outLines().stream().anyMatch(l -> l.startsWith("INVALID " + image + ":")), out);
    }

    public void assertValid() {
        assertEquals(ExitCode.OK, exit, this::toString);
        assertEquals("", err);
    }

    /** For assertion messages: everything the run said. */
    @Override
    public String toString() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
