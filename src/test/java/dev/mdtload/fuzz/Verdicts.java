package dev.mdtload.fuzz;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Violation;
import dev.mdtload.image.ImageReport;

import java.util.List;

/**
 * The invariant every fuzz target and property shares: bad input ends as a verdict made of rule
 * violations, each printable as the one line a user sees. Anything else (an exception of another
 * type, a violation without a rule, a message spanning lines) fails the caller.
 */
final class Verdicts {
    private Verdicts() {}

    static void requireRuled(InvalidImageException e) {
        if (e.violations().isEmpty()) {
            throw new AssertionError("a rejection without any violation");
        }
        requireLines(e.violations());
    }

    static void requireConsistent(ImageReport report) {
        requireLines(report.errors());
        if (report.valid() != report.errors().isEmpty()) {
            throw new AssertionError("report says valid=" + report.valid() + " with errors " + report.errors());
        }
    }

    private static void requireLines(List<Violation> violations) {
        for (Violation v : violations) {
            String line = v.line();
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                throw new AssertionError("violation message is not one line: " + line);
            }
            if (!line.endsWith("[" + v.rule().id() + "]")) {
                throw new AssertionError("violation line does not end with its rule id: " + line);
            }
        }
    }
}
