package dev.mdtload.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code mdtload} command: wires the subcommands, error handling and exit codes; nothing else.
 * The subcommands are not in the annotation: picocli builds a command's model by reflection when
 * it is added, and building all twelve cost more than the JVM's whole start-up (issue 12), so a
 * command line gets only the subcommand it names.
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

    /** The global options' names: what may come before the subcommand's. */
    private static final Set<String> GLOBAL_OPTIONS = Set.of("-q", "--quiet", "-v", "--verbose", "--debug");

    /**
     * Every subcommand by name, in the order help lists them. The names are written out rather
     * than read from each class's @Command: reading an annotation loads every class it names and
     * builds a proxy for it, which in a fresh JVM cost 0.3 s for these (MainTest checks they agree).
     */
    static final Map<String, Class<?>> SUBCOMMANDS = orderedMap(
            Map.entry("info", InfoCommand.class),
            Map.entry("validate", ValidateCommand.class),
            Map.entry("map", MapCommand.class),
            Map.entry("load", LoadCommand.class),
            Map.entry("samples", SamplesCommand.class),
            Map.entry("board", BoardCommand.class),
            Map.entry("rproc", RprocCommand.class),
            Map.entry("provision", ProvisionCommand.class),
            Map.entry("doctor", DoctorCommand.class),
            Map.entry("squash", SquashCommand.class),
            Map.entry("split", SplitCommand.class),
            Map.entry("certs", CertsCommand.class),
            Map.entry("preflight", PreflightCommand.class),
            Map.entry("sign", SignCommand.class),
            Map.entry("help", CommandLine.HelpCommand.class));

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
        return commandLine(args).execute(args);
    }

    /** The command line that will run {@code args}: with every subcommand when none is named (help). */
    public static CommandLine commandLine(String... args) {
        return commandLine(CommandLine.defaultFactory(), args);
    }

    /** With {@code factory} making the subcommands: tests hand {@code load} a secure world that fails on cue. */
    static CommandLine commandLine(CommandLine.IFactory factory, String... args) {
        Errors errors = new Errors();
        CommandLine cmd = new CommandLine(new Main(), factory);
        needed(args).forEach((name, subcommand) -> cmd.addSubcommand(name, subcommand));
        // every parse error is kept rather than the first thrown, so that a mistyped option is
        // reported (with a suggestion) instead of the required one it failed to give
        collectErrors(cmd);
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        // Ansi.AUTO asks the JDK for a console, which probes the terminal: only help has colours to show
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cmd.setExecutionStrategy(Main::execute);
        return cmd;
    }

    /**
     * The subcommands {@code args} can reach: the one named first; none for a lone --version;
     * all of them otherwise (help, `help CMD`, a misspelt name that picocli offers corrections for).
     */
    private static Map<String, Class<?>> needed(String... args) {
        String first = Arrays.stream(args).filter(a -> !GLOBAL_OPTIONS.contains(a)).findFirst().orElse("");
        if (SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
            return Map.of(first, SUBCOMMANDS.get(first));
        }
        if (versionOnly(args)) {
            return Map.of();
        }
        return SUBCOMMANDS;
    }

    private static boolean versionOnly(String... args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    private static void collectErrors(CommandLine cmd) {
        cmd.getCommandSpec().parser().collectErrors(true);
        cmd.getSubcommands().values().forEach(Main::collectErrors);
    }

    @SafeVarargs
    private static Map<String, Class<?>> orderedMap(Map.Entry<String, Class<?>>... entries) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> e : entries) {
            byName.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }

    /**
     * Runs the command picocli chose. picocli hands only Exceptions to the error handler; an Error
     * would escape as a stack trace and the JVM's exit code 1, which here means "invalid image".
     * Errors the machine raises (out of memory, a fault reading a mapped file that was cut short,
     * a stack overflow) are handed to the handler too, to be one line and exit 3.
     */
    private static int execute(CommandLine.ParseResult parsed) {
        throwFirstError(parsed);
        if (helpRequested(parsed)) {
            parsed.commandSpec().commandLine().setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.AUTO));
        }
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (VirtualMachineError e) {
            throw new CommandLine.ExecutionException(parsed.asCommandLineList().getLast(), String.valueOf(e), e);
        }
    }

    /**
     * What picocli would have thrown, had it not been told to collect errors: the first one, except
     * that a word it could not match goes first, as it is usually why a required option is missing.
     */
    private static void throwFirstError(CommandLine.ParseResult parsed) {
        List<Exception> errors = new ArrayList<>();
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            errors.addAll(p.errors());
        }
        Optional<Exception> first = errors.stream().filter(e -> e instanceof CommandLine.UnmatchedArgumentException)
                .findFirst().or(() -> errors.stream().findFirst());
        if (first.isPresent()) {
            throw first.get() instanceof CommandLine.ParameterException e ? e
                    : new CommandLine.ParameterException(parsed.commandSpec().commandLine(), first.get().getMessage(), first.get());
        }
    }

    private static boolean helpRequested(CommandLine.ParseResult parsed) {
        return parsed.asCommandLineList().stream().anyMatch(c -> c.isUsageHelpRequested()
                || c.getCommand() instanceof CommandLine.HelpCommand);
    }
}
