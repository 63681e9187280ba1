package dev.mdtload.cli;

import dev.mdtload.address.AddressException;
import dev.mdtload.board.AmbiguousNameException;
import dev.mdtload.board.DeviceTreeException;
import dev.mdtload.carveout.CarveoutException;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Violation;
import dev.mdtload.image.ImageReport;
import dev.mdtload.provision.ManifestException;
import dev.mdtload.rproc.FirmwareNameException;
import dev.mdtload.rproc.NoSuchRemoteprocException;
import dev.mdtload.rproc.RemoteprocException;
import dev.mdtload.scm.ScmException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
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
        Throwable cause = e instanceof UncheckedIOException || isMachineError(e) ? e.getCause() : e;
        if (cause instanceof InvalidImageException invalid) {
            for (Violation v : invalid.violations()) {
                err.println("mdtload: " + v.line());
            }
        } else if (cause instanceof ManifestException manifest) {
            manifest.problems().forEach(p -> err.println("mdtload: " + p));
        } else {
            err.println("mdtload: " + describe(cause));
        }
        if (isDebug(parsed)) {
            cause.printStackTrace(err);
        }
        err.flush();
        return exitCode(cause);
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

    static int exitCode(Throwable e) {
        return switch (e) {
            case InvalidImageException ignored -> ExitCode.INVALID;
            case DeviceTreeException ignored -> ExitCode.INVALID;
            case UsageException ignored -> ExitCode.USAGE;
            case ManifestException ignored -> ExitCode.USAGE;
            case AddressException ignored -> ExitCode.USAGE;
            case CarveoutException ignored -> ExitCode.USAGE;
            case ScmException ignored -> ExitCode.REFUSED;
            case AmbiguousNameException ignored -> ExitCode.USAGE;
            case FirmwareNameException ignored -> ExitCode.USAGE;
            case NoSuchRemoteprocException ignored -> ExitCode.USAGE;
            case RemoteprocException ignored -> ExitCode.REFUSED;
            case NoSuchFileException ignored -> ExitCode.USAGE;
            // an output that exists and was not to be replaced (no --force): the request is wrong
            case FileAlreadyExistsException ignored -> ExitCode.USAGE;
            case IOException ignored -> ExitCode.ENVIRONMENT;
            default -> ExitCode.ENVIRONMENT;
        };
    }

    /** One line, lowercase-first like the kernel's, naming the file where the exception knows it. */
    static String describe(Throwable e) {
        return switch (e) {
            case NoSuchFileException n -> n.getFile() + ": no such file or directory";
            case AccessDeniedException a -> a.getFile() + ": permission denied";
            case FileSystemException f -> f.getFile() + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
            case InvalidImageException i -> i.getMessage();
            case OutOfMemoryError m -> "out of memory (" + m.getMessage() + "): raise -Xmx, or the input asks for too much";
            case VirtualMachineError v -> "internal error: " + (v.getMessage() == null ? v.toString() : v.getMessage());
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }

    /** How Main hands over an Error picocli would not: an ExecutionException around it. */
    private static boolean isMachineError(Exception e) {
        return e instanceof CommandLine.ExecutionException && e.getCause() instanceof VirtualMachineError;
    }

    private static boolean isDebug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
