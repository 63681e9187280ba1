package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.check.Violation;
import dev.mdtload.image.ImageReport;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * The one place failures become output and exit codes: a single line per problem on stderr
 * (the stack trace only with {@code --debug}), and the documented exit code for its kind.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    /**
     * An image's verdict on stderr: one line per error, then one per warning, marked so that a
     * script splitting on lines tells them apart ({@code mdtload: warning: FILE: ... [rule-id]}).
     */
    static void print(PrintWriter err, ImageReport report) {
        report.errors().forEach(v -> err.println("mdtload: " + v.line()));
        warn(err, report.warnings());
    }

    static void warn(PrintWriter err, List<Violation> warnings) {
        warnings.forEach(v -> err.println("mdtload: warning: " + v.line()));
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        Failure failure = Failure.of(isMachineError(e) ? e.getCause() : e);
        if (matched(parsed, "--json")) {
            // scripts get JSON exactly when they need it: the failure's envelope, as on success
            cmd.getOut().println(Json.failure(cmd.getCommandSpec(), failure));
            cmd.getOut().flush();
        }
        failure.lines().forEach(line -> err.println("mdtload: " + line));
        if (matched(parsed, "--debug")) {
            failure.printStackTrace(err);
        }
        err.flush();
        return failure.kind().exitCode();
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("mdtload: " + e.getMessage());
        Suggestion.of(e).ifPresent(name -> err.println("mdtload: did you mean '" + name + "'?"));
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE;
    }

    /** How Main hands over an Error picocli would not: an ExecutionException around it. */
    private static boolean isMachineError(Exception e) {
        return e instanceof CommandLine.ExecutionException && e.getCause() instanceof VirtualMachineError;
    }

    private static boolean matched(CommandLine.ParseResult parsed, String option) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }
}
