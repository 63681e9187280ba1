package dev.mdtload.provision;

import dev.mdtload.rproc.Attribute;
import dev.mdtload.rproc.FileSysfs;
import dev.mdtload.rproc.FirmwareSearchPath;
import dev.mdtload.rproc.Remoteproc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A temporary root for a dry run's remote processors: their sysfs attributes as the real root
 * shows them and an empty firmware directory, so staging and booting happen there and nothing
 * under the real root changes. Deleted on close.
 */
final class DryRunTree implements AutoCloseable {
    private final Path root;

    private DryRunTree(Path root) {
        this.root = root;
    }

    static DryRunTree copy(Path realRoot, List<Remoteproc> processors) throws IOException {
        Path root = Files.createTempDirectory("mdtload-dry-run-");
        try {
            FileSysfs real = new FileSysfs(realRoot);
            for (Remoteproc p : processors) {
                Path dir = Files.createDirectories(root.resolve(FileSysfs.CLASS_DIR).resolve(p.id()));
                for (Attribute attribute : Attribute.values()) {
                    Optional<String> value = real.read(p.id(), attribute);
                    if (value.isPresent()) {
                        Files.writeString(dir.resolve(attribute.file()), value.get() + "\n", StandardCharsets.UTF_8);
                    }
                }
            }
            Files.createDirectories(root.resolve(FirmwareSearchPath.LIB_FIRMWARE));
            return new DryRunTree(root);
        } catch (IOException | RuntimeException e) {
            delete(root);
            throw e;
        }
    }

    Path root() {
        return root;
    }

    @Override
    public void close() throws IOException {
        delete(root);
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
