package dev.mdtload.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mdtload} command: wires the subcommands, error handling and exit codes; nothing else. */
@Command(name = "mdtload",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        version = "mdtload 0.1.0",
        header = "Read, check and load Qualcomm firmware images (.mdt + .bNN, or .mbn).",
        description = {"Example: mdtload validate /lib/firmware/qcom"},
        subcommands = {
                InfoCommand.class,
                ValidateCommand.class,
                MapCommand.class,
                LoadCommand.class,
                SamplesCommand.class,
                BoardCommand.class,
                RprocCommand.class,
                ProvisionCommand.class,
                SquashCommand.class,
                SplitCommand.class,
                CertsCommand.class,
                SignCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code; tests call this in-process. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** With {@code factory} making the subcommands: tests hand {@code load} a secure world that fails on cue. */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        Errors errors = new Errors();
        CommandLine cmd = new CommandLine(new Main(), factory);
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionStrategy(Main::execute);
        return cmd;
    }

    /**
     * Runs the command picocli chose. picocli hands only Exceptions to the error handler; an Error
     * would escape as a stack trace and the JVM's exit code 1, which here means "invalid image".
     * Errors the machine raises (out of memory, a fault reading a mapped file that was cut short,
     * a stack overflow) are handed to the handler too, to be one line and exit 3.
     */
    private static int execute(CommandLine.ParseResult parsed) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (VirtualMachineError e) {
            throw new CommandLine.ExecutionException(parsed.asCommandLineList().getLast(), String.valueOf(e), e);
        }
    }
}
