package dev.mdtload.doctor;

import dev.mdtload.kernel.RunningKernel;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.rproc.FirmwareSearchPath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the kernel's firmware loader looks for a name, in its order, under a board's root. From
 * fw_path[] in drivers/base/firmware_loader/main.c (mainline 6.17): {@code fw_path_para} (the
 * {@code firmware_class.path} parameter, skipped while empty), then
 * {@code /lib/firmware/updates/UTS_RELEASE}, {@code /lib/firmware/updates},
 * {@code /lib/firmware/UTS_RELEASE}, {@code /lib/firmware}; the first regular file wins.
 * UTS_RELEASE is the running kernel's {@code uname -r}: the two versioned directories are searched
 * only when the board's {@code /proc} says it. (With CONFIG_FW_LOADER_COMPRESS the kernel also
 * tries {@code .zst} and {@code .xz}; the split parts of an .mdt are never read compressed, so
 * doctor looks for the plain name only.)
 *
 * @param release the board's {@code uname -r}, empty when unknown
 */
public record SearchPath(List<Path> directories, String release) {
    static final String UPDATES = "updates";

    public SearchPath {
        directories = List.copyOf(directories);
    }

    public static SearchPath of(Path root) throws IOException {
        Optional<String> release = RunningKernel.release(root);
        Path lib = root.resolve(FirmwareSearchPath.LIB_FIRMWARE);
        List<Path> dirs = new ArrayList<>();
        FirmwareSearchPath.parameterDirectory(root).ifPresent(dirs::add);
        release.ifPresent(r -> dirs.add(lib.resolve(UPDATES).resolve(r)));
        dirs.add(lib.resolve(UPDATES));
        release.ifPresent(r -> dirs.add(lib.resolve(r)));
        dirs.add(lib);
        return new SearchPath(dirs, release.orElse(""));
    }

    /** The file the kernel would load for {@code name}: the first directory that holds it. */
    public Optional<Path> find(FirmwareName name) {
        return directories.stream().map(name::in).filter(Files::isRegularFile).findFirst();
    }
}
