package dev.mdtload.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code mdtload} command: its global options, --version, and the entry point; {@link CommandTree}
 * wires the subcommands, error handling and exit codes. The subcommands are not in the annotation:
 * picocli builds a command's model by reflection when it is added, and building all twelve cost
 * more than the JVM's whole start-up (issue 12), so a command line gets only the subcommand it names.
 * This class names picocli only in its annotations, not in its code or its methods' signatures (the
 * java launcher reads those by reflection): a lone --version then loads no picocli class.
 */
@Command(name = "mdtload",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        version = Main.VERSION,
        header = "Read, check and load Qualcomm firmware images (.mdt + .bNN, or .mbn).",
        description = {"Example: mdtload validate /lib/firmware/qcom"})
public final class Main {
    /** What --version prints. */
    static final String VERSION = "mdtload 0.1.0";

    /** Options of every command, taken before or after the subcommand's name (picocli copies them into each). */
    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT, description = "Print only results and errors: no progress bar, no 'wrote FILE' lines.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Also say on stderr what was decided for you, such as which kernel's rules judge.")
    boolean verbose;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean debug;

    /**
     * Returns, rather than calling System.exit, when all went well: System.exit asks for the
     * JDK's System.Logger first (JDK 21+ logs Runtime.exit), and finding its backend opens every
     * jar on the class path to look for a provider; bcprov alone is 8 MB (issue 12). Every thread
     * mdtload starts is a daemon (the common pool's), so returning ends the process as exit does.
     */
    public static void main(String[] args) {
        int code = run(args);
        if (code != ExitCode.OK) {
            System.exit(code);
        }
    }

    /**
     * Runs one command line and returns its exit code; tests call this in-process. A lone
     * --version is answered without picocli, which took more CPU to set up than the JVM's own
     * start (issue 12, docs/benchmarks.md); it prints picocli's answer (MainTest compares them).
     */
    public static int run(String... args) {
        if (versionOnly(args)) {
            System.out.println(VERSION);
            return ExitCode.OK;
        }
        return CommandTree.commandLine(args).execute(args);
    }

    static boolean versionOnly(String... args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }
}
