package dev.mdtload.rproc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the kernel looks for a firmware name, under a root: first the directory in
 * {@code /sys/module/firmware_class/parameters/path} when it is set, then {@code /lib/firmware}.
 * (The kernel also tries {@code /lib/firmware/updates} and per-release directories; mdtload does
 * not stage there, and only {@code doctor}'s dev.mdtload.doctor.SearchPath looks there.) Images are
 * staged into the first directory.
 */
public record FirmwareSearchPath(List<Path> directories) {
    public static final String PATH_PARAMETER = "sys/module/firmware_class/parameters/path";
    public static final String LIB_FIRMWARE = "lib/firmware";

    public FirmwareSearchPath {
        directories = List.copyOf(directories);
        if (directories.isEmpty()) {
            throw new IllegalArgumentException("a firmware search path needs a directory");
        }
    }

    public static FirmwareSearchPath of(Path root) throws IOException {
        List<Path> dirs = new ArrayList<>();
        parameterDirectory(root).ifPresent(dirs::add);
        dirs.add(root.resolve(LIB_FIRMWARE));
        return new FirmwareSearchPath(dirs);
    }

    /** The directory {@code firmware_class.path} names under {@code root}, when it is set. */
    public static Optional<Path> parameterDirectory(Path root) throws IOException {
        Path parameter = root.resolve(PATH_PARAMETER);
        String custom = Files.isRegularFile(parameter) ? Files.readString(parameter, StandardCharsets.UTF_8).strip() : "";
        if (custom.isEmpty()) {
            return Optional.empty();
        }
        Path dir = root.resolve(custom.replaceFirst("^/+", "")).normalize();
        if (!dir.startsWith(root.normalize())) {
            throw new IOException(parameter + ": firmware path '" + custom + "' leaves the root " + root);
        }
        return Optional.of(dir);
    }

    /** Where images are staged: the directory the kernel searches first. */
    public Path stagingDirectory() {
        return directories.getFirst();
    }

    /** The file the kernel would load for {@code name}, if any. */
    public Optional<Path> find(FirmwareName name) {
        return directories.stream().map(name::in).filter(Files::isRegularFile).findFirst();
    }
}
