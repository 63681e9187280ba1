package dev.mdtload.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Provisioning manifests for the fake board, one processor entry a line, written as a user would. */
public final class Manifests {
    private Manifests() {}

    /** The settings the fake board needs: the simulated secure world and the simulated kernel. */
    public static final String FAKE_BOARD = "scm: sim\nconvention: smc64\nsysfs: sim\n";

    public static String scm(String name, RealImage image, String carveout, int pasId) {
        return scm(name, image.path().toAbsolutePath(), carveout, pasId);
    }

    public static String scm(String name, Path image, String carveout, int pasId) {
        return String.format("  - {name: %s, image: '%s', method: scm, pas_id: %d, carveout: %s}", name, image, pasId, carveout);
    }

    /** {@code carveout} null: none named, as a remoteproc entry may leave it to the kernel. */
    public static String remoteproc(String name, RealImage image, String carveout, String processor, String firmware) {
        return String.format("  - {name: %s, image: '%s', method: remoteproc, remoteproc: %s, firmware: '%s'%s}",
                name, image.path().toAbsolutePath(), processor, firmware, carveout == null ? "" : ", carveout: " + carveout);
    }

    /** {@code dir/manifest.yaml} with the fake board's settings and these entries, in this order. */
    public static Path write(Path dir, String... entries) {
        List<String> lines = new ArrayList<>(List.of(FAKE_BOARD, "processors:"));
        lines.addAll(List.of(entries));
        try {
            return Files.writeString(dir.resolve("manifest.yaml"), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
