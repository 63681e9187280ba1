package dev.mdtload.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the {@code mdtload} command line, with what it printed. */
public record CliRun(int exit, String out, String err) {
    /** Runs {@code args}, each turned into its string form (paths and numbers may be passed as they are). */
    public static CliRun of(Object... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            strings[i] = String.valueOf(args[i]);
        }
        int exit = cmd.execute(strings);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** For assertion messages: everything the run said. */
    @Override
    public String toString() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
