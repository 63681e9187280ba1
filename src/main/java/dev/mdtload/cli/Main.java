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
        int code;
        try {
            code = run(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli hands only Exceptions to the handler; these must still end in one line and
            // an environment exit code, not in 1, which means "invalid image"
            System.err.println("mdtload: out of resources: " + e);
            code = ExitCode.ENVIRONMENT;
        }
        System.exit(code);
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
        return cmd;
    }
}
