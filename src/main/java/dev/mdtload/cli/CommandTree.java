package dev.mdtload.cli;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The picocli command line of one run of {@link Main}: the subcommands it needs, error handling
 * and exit codes. Apart from Main so that a lone --version, which Main answers itself, loads
 * none of this and no picocli class (issue 12).
 */
public final class CommandTree {
    private CommandTree() {}

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
        cmd.setExecutionStrategy(CommandTree::execute);
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
        if (Main.versionOnly(args)) {
            return Map.of();
        }
        return SUBCOMMANDS;
    }

    private static void collectErrors(CommandLine cmd) {
        cmd.getCommandSpec().parser().collectErrors(true);
        cmd.getSubcommands().values().forEach(CommandTree::collectErrors);
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
