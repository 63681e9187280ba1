package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * How much a command says besides its results and errors, from the global {@code -q} and
 * {@code -v}: they are Main's options, inherited by every subcommand, so either may come before
 * or after the subcommand's name, and the parse results of the whole chain are asked.
 */
enum Verbosity {
    /** Results and errors only: no progress bar, no "wrote FILE" lines. */
    QUIET,
    NORMAL,
    /** Also what was decided on the user's behalf (which kernel's rules judge), on stderr. */
    VERBOSE;

    static Verbosity of(CommandSpec spec) throws UsageFailure {
        boolean quiet = matched(spec, "--quiet");
        boolean verbose = matched(spec, "--verbose");
        if (quiet && verbose) {
            throw new UsageFailure("-q and -v contradict each other: give one");
        }
        return quiet ? QUIET : verbose ? VERBOSE : NORMAL;
    }

    /** Whether {@code option} was given anywhere on the command line that ran {@code spec}. */
    static boolean matched(CommandSpec spec, String option) {
        for (ParseResult p = spec.root().commandLine().getParseResult(); p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }
}
