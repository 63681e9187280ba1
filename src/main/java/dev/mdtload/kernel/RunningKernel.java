package dev.mdtload.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel a verdict is for when --kernel is not given: on a Qualcomm board the running kernel,
 * elsewhere the newest the model knows. "On a board" means the devicetree's root compatible names
 * a {@code qcom,} SoC: a laptop or build host running its own kernel says nothing about the target.
 */
public final class RunningKernel {
    /** Where {@code uname -r}'s release is, relative to the root of the file system. */
    public static final String OSRELEASE = "proc/sys/kernel/osrelease";

    private RunningKernel() {
    }

    /** The default for this machine, read from {@code root} (normally "/"). */
    public static KernelRules defaultRules(Path root) {
        try {
            return qualcommRelease(root).map(KernelRules::of).orElse(KernelRules.newest());
        } catch (IllegalArgumentException unmodelled) {
            // a board kernel older than the model: its rules are unknown, so the newest are the honest default
            return KernelRules.newest();
        }
    }

    /** {@code uname -r} (from /proc) when the devicetree says this is a Qualcomm board. */
    private static Optional<String> qualcommRelease(Path root) {
        try {
            Path compatible = root.resolve("sys/firmware/devicetree/base/compatible");
            Optional<String> release = release(root);
            if (!Files.isReadable(compatible) || release.isEmpty()) {
                return Optional.empty();
            }
            // the property is a list of NUL-separated strings
            String soc = new String(Files.readAllBytes(compatible), StandardCharsets.US_ASCII);
            return soc.contains("qcom,") ? release : Optional.empty();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    /** {@code uname -r} of the system whose file system starts at {@code root}, when its /proc says it. */
    public static Optional<String> release(Path root) {
        Path release = root.resolve(OSRELEASE);
        try {
            String text = Files.isReadable(release) ? Files.readString(release, StandardCharsets.US_ASCII).strip() : "";
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }
}
