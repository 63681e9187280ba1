package dev.mdtload.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The downloaded linux-firmware corpus ({@code scripts/fetch-linux-firmware}), for tests tagged
 * {@code corpus} that {@code make test-corpus} runs. Its root is the unpacked {@code lib/firmware}
 * directory, passed as {@code -Dmdtload.corpus}. A corpus test run without it fails rather than
 * skipping: CI must never report a corpus run that looked at no firmware.
 */
public final class Corpus {
    private Corpus() {
    }

    public static Path root() {
        String root = System.getProperty("mdtload.corpus", "");
        if (root.isBlank()) {
            throw new IllegalStateException("-Dmdtload.corpus is not set: run corpus tests with 'make test-corpus'");
        }
        Path path = Path.of(root);
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("-Dmdtload.corpus=" + root + " is not a directory");
        }
        return path;
    }
}
