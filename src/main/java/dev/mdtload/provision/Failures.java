package dev.mdtload.provision;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Violation;

import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/** Failures as report lines: one per broken image rule, else the exception's one-line message. */
final class Failures {
    private Failures() {}

    static List<String> lines(Throwable failure) {
        return switch (failure) {
            case InvalidImageException invalid -> invalid.violations().stream().map(Violation::line).toList();
            case NoSuchFileException missing when missing.getReason() == null ->
                    List.of(missing.getFile() + ": no such file or directory");
            case FileSystemException f when f.getReason() != null -> List.of(f.getFile() + ": " + f.getReason());
            default -> List.of(failure.getMessage() == null ? failure.toString() : failure.getMessage());
        };
    }

    static String line(Throwable failure) {
        return String.join("; ", lines(failure));
    }
}
