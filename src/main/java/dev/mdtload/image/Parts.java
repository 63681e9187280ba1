package dev.mdtload.image;

import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.mbn.PartName;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds and maps the {@code .bNN} parts of a split image, named as the kernel names them
 * ({@link PartName}). Unlike the kernel, indices above 99 are refused instead of overflowing the
 * name, and a part must be a regular file that resolves inside the image's own directory.
 */
final class Parts {
    private final Path image;
    private final OpenFiles files;
    private Path realDirectory;
    private long mappedBytes;

    Parts(Path image, OpenFiles files) {
        this.image = image;
        this.files = files;
    }

    Path path(int index) {
        return PartName.of(image, index);
    }

    boolean exists(int index) {
        return index <= PartName.MAX_INDEX && Files.exists(path(index), LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether any segment with file bytes has a part file beside the image. */
    boolean anyExists(List<ProgramHeader> phdrs) {
        return phdrs.stream().anyMatch(p -> p.p_filesz() != 0 && exists(p.index()));
    }

    /**
     * Maps the part of {@code phdr}, or records why it cannot be used and returns empty.
     *
     * @throws IOException the part exists but the environment will not let us read it (permission, I/O)
     */
    Optional<ImageSegment.Bytes.Read> map(ProgramHeader phdr, List<Violation> violations) throws IOException {
        int index = phdr.index();
        String imageName = image.toString();
        if (index > PartName.MAX_INDEX) {
            violations.add(Violation.of(Rule.TOO_MANY_PHDRS, imageName, index,
                    "split part index " + index + " does not fit the two-digit .bNN name"));
            return Optional.empty();
        }
        Path part = path(index);
        String partName = part.getFileName().toString();
        if (!Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
            violations.add(Violation.of(Rule.PART_MISSING, imageName, index, partName + " is missing"));
            return Optional.empty();
        }
        Path real;
        try {
            real = part.toRealPath();
        } catch (AccessDeniedException e) {
            throw e;
        } catch (NoSuchFileException e) {
            // it exists as a name (checked above) but not once followed: a link to nothing
            violations.add(Violation.of(Rule.PART_UNREADABLE, imageName, index,
                    partName + " is a dangling link: its target does not exist"));
            return Optional.empty();
        } catch (FileSystemException e) {
            violations.add(Violation.of(Rule.PART_UNREADABLE, imageName, index,
                    partName + " cannot be resolved: " + reason(e)));
            return Optional.empty();
        }
        if (!real.startsWith(realDirectory())) {
            violations.add(Violation.of(Rule.PART_OUTSIDE_DIRECTORY, imageName, index,
                    partName + " resolves to " + real + ", outside " + realDirectory()));
            return Optional.empty();
        }
        if (!Files.isRegularFile(real)) {
            violations.add(Violation.of(Rule.PART_NOT_REGULAR_FILE, imageName, index,
                    partName + " is " + (Files.isDirectory(real) ? "a directory" : "not a regular file")));
            return Optional.empty();
        }
        long size = Files.size(real);
        if (size != phdr.p_filesz()) {
            violations.add(Violation.of(Rule.PART_SIZE_MISMATCH, imageName, index,
                    String.format("%s is %d bytes, p_filesz is %d", partName, size, phdr.p_filesz())));
            return Optional.empty();
        }
        OpenFile opened = files.open(part, real);
        // the file may have been replaced or cut between the size check and the mapping
        if (opened.size() != phdr.p_filesz() || Files.size(real) != phdr.p_filesz()) {
            violations.add(Violation.of(Rule.PART_CHANGED, imageName, index,
                    partName + " changed size while it was being read"));
            return Optional.empty();
        }
        mappedBytes += opened.size();
        return Optional.of(opened.read(0, opened.size()));
    }

    /** Bytes of every part mapped so far. */
    long mappedBytes() {
        return mappedBytes;
    }

    private Path realDirectory() throws IOException {
        if (realDirectory == null) {
            Path parent = image.toAbsolutePath().getParent();
            realDirectory = parent.toRealPath();
        }
        return realDirectory;
    }

    static String reason(FileSystemException e) {
        return e.getReason() != null ? e.getReason().toLowerCase(java.util.Locale.ROOT) : e.getClass().getSimpleName();
    }
}
