package dev.mdtload.cli;

import dev.mdtload.board.Board;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.preflight.BoardFacts;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

import java.nio.file.Path;
import java.util.Optional;

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

    /** Says {@code what} on stderr when -v was given: something decided on the user's behalf. */
    static void decided(CommandSpec spec, String what) throws UsageFailure {
        if (of(spec) == VERBOSE) {
            spec.commandLine().getErr().println("mdtload: " + what);
        }
    }

    /** With -v, says that the SoC in {@code used} came from the device tree under {@code root}, {@code given} naming none. */
    static void socFromTree(CommandSpec spec, BoardFacts given, BoardFacts used, Path root) throws UsageFailure {
        Optional<BoardFacts.Fact.Soc> soc = used.get(BoardFacts.Fact.Soc.class);
        if (soc.isPresent() && given.get(BoardFacts.Fact.Soc.class).isEmpty()) {
            decided(spec, "SoC " + soc.get().name() + " from " + root.resolve(Board.LIVE_TREE).resolve("compatible")
                    + " (no soc fact given)");
        }
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
