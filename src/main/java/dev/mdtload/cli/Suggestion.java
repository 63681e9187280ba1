package dev.mdtload.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * "Did you mean": the subcommand or option nearest to a mistyped one. picocli's own suggestions
 * match options by their first two letters only, so {@code --szie} would get none; here the
 * distance is the number of single-letter edits (a swap of neighbours counting as one).
 */
final class Suggestion {
    private Suggestion() {}

    /** The name to suggest for the first word picocli could not match, if one is near enough. */
    static Optional<String> of(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return Optional.empty();
        }
        String word = unmatched.getUnmatched().getFirst();
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        Stream<String> names = word.startsWith("-")
                ? spec.options().stream().filter(o -> !o.hidden()).map(OptionSpec::names).flatMap(Stream::of)
                : spec.subcommands().keySet().stream();
        String typed = word.startsWith("-") && word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        return nearest(typed, names.toList());
    }

    /** The candidate fewest edits away, when that is at most a third of the word (at least one edit). */
    static Optional<String> nearest(String typed, List<String> candidates) {
        int allowed = Math.max(1, typed.replaceFirst("^-+", "").length() / 3);
        return candidates.stream()
                .filter(c -> !c.equals(typed))
                .map(c -> new Scored(c, distance(typed, c)))
                .filter(s -> s.edits() <= allowed)
                .min(Comparator.comparingInt(Scored::edits).thenComparing(Scored::name))
                .map(Scored::name);
    }

    private record Scored(String name, int edits) {}

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
