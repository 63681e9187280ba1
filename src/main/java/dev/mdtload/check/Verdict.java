package dev.mdtload.check;

import java.util.List;

/**
 * Violations sorted by what they mean for the device: errors refuse the image, warnings are listed
 * and leave it valid. {@code strict} counts the warnings as errors too ({@code --strict}).
 */
public record Verdict(List<Violation> errors, List<Violation> warnings) {
    public Verdict {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public static Verdict of(List<Violation> found, boolean strict) {
        return new Verdict(found.stream().filter(v -> strict || isError(v)).toList(),
                found.stream().filter(v -> !strict && !isError(v)).toList());
    }

    private static boolean isError(Violation v) {
        return v.rule().severity() == Severity.ERROR;
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
