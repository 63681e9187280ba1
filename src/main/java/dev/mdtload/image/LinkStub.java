package dev.mdtload.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A symbolic link stored as a small text file holding its target, as git writes links on a
 * checkout without symlink support (core.symlinks=false) and as some copies of linux-firmware
 * arrive (venus.mdt containing "venus.mbn"). Such a file is followed like the link it stands for.
 */
public final class LinkStub {
    /** No ELF file is this small, and no firmware link target is this long. */
    static final int MAX_STUB_SIZE = 255;
    static final int MAX_HOPS = 8;

    private LinkStub() {}

    /**
     * Returns the file {@code path} stands for: itself, or the target of the stub chain it starts.
     * A file that merely looks short (no such target beside it) is returned as it is, to be
     * rejected by the ELF parser with its own rule.
     */
    public static Path follow(Path path) throws IOException {
        Path current = path;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Path target = target(current);
            if (target == null) {
                return current;
            }
            current = target;
        }
        return current;
    }

    private static Path target(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0 || Files.size(file) > MAX_STUB_SIZE) {
            return null;
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || text.startsWith("\u007fELF") || text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return null;
        }
        Path parent = file.toAbsolutePath().getParent();
        Path target;
        try {
            target = parent.resolve(text).normalize();
        } catch (java.nio.file.InvalidPathException notAPath) {
            return null;
        }
        return Files.isRegularFile(target) && !target.equals(file.toAbsolutePath().normalize()) ? target : null;
    }
}
