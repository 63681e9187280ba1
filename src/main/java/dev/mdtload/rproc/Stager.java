package dev.mdtload.rproc;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.files.AtomicFile;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageSegment;
import dev.mdtload.mbn.PartName;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a validated image into a firmware directory under a firmware name: the image file and,
 * for a split image, every {@code .bNN} part its segments are read from, renamed after the
 * firmware name as the kernel will look for them. The bytes written are the validated image's own
 * mappings, never a second read of its paths: a file swapped after validation (a package upgrade
 * renaming a new part into place) cannot slip unchecked bytes into the firmware directory. A
 * file rewritten in place while mapped changes the mapping with it; that is for the secure world
 * to catch, as it catches a carveout written after loading.
 * Each file is written with {@link AtomicFile}: it is either whole or not there, and a failure
 * leaves no temporary file. Parts go first and the image file last, so a kernel that finds the
 * new image file also finds its new parts.
 */
final class Stager {
    private Stager() {}

    /** Bytes of the validated image (mapped when it was opened) and the file they go to. */
    record Copy(MemorySegment bytes, Path target) {}

    /**
     * Stages {@code image} (already validated, still open) as {@code name} in {@code directory}.
     *
     * @return the files written, image file last
     */
    static List<Path> stage(FirmwareImage image, FirmwareName name, Path directory) throws IOException, UsageFailure {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "firmware directory does not exist");
        }
        List<Copy> copies = plan(image, name, directory);
        createInside(directory, copies.getLast().target().getParent(), name);
        List<Path> written = new ArrayList<>();
        for (Copy copy : copies) {
            AtomicFile.writePlaced(copy.target(), true, out -> out.write(copy.bytes(), 0));
            written.add(copy.target());
        }
        return written;
    }

    /**
     * Creates the directories of a name like {@code ath11k/WCN6750/hw1.0/}, checking each before
     * going below it, so a link among them cannot make a file land outside the search path.
     */
    private static void createInside(Path directory, Path parent, FirmwareName name) throws IOException, UsageFailure {
        Path base = directory.toRealPath();
        Path current = directory;
        for (Path component : directory.relativize(parent)) {
            current = current.resolve(component);
            if (!Files.exists(current)) {
                Files.createDirectory(current);
            }
            Path real = current.toRealPath();
            if (!real.startsWith(base) || !Files.isDirectory(real)) {
                throw new UsageFailure("firmware name '" + name + "' leads through " + current + " to " + real
                        + ", which is not a directory inside " + directory);
            }
        }
    }

    /**
     * The image file, and for a split image every part beside it that the validator read (each
     * index below e_phnum whose {@code .bNN} exists, the empty ones and those duplicating the
     * headers included), named after {@code name}; parts first. A part's bytes are its segment's
     * validated bytes: the part itself, or for a part duplicating metadata the image file's copy
     * that the validator found it equal to.
     */
    static List<Copy> plan(FirmwareImage image, FirmwareName name, Path directory) throws IOException, UsageFailure {
        List<Copy> copies = new ArrayList<>();
        if (image.split()) {
            for (ImageSegment segment : image.segments()) {
                // a part the segment was read from always goes; an empty or duplicate one when it is there
                boolean readFromPart = segment.readFrom().filter(source -> !source.equals(image.path())).isPresent();
                if (!readFromPart && !Files.isRegularFile(PartName.of(image.path(), segment.index()))) {
                    continue;
                }
                if (!segment.hasData()) {
                    throw new IllegalStateException(image + ": segment " + segment.index()
                            + " has no validated bytes: only a valid image is staged");
                }
                copies.add(new Copy(segment.data(), name.part(segment.index()).in(directory)));
            }
        }
        copies.add(new Copy(image.fileBytes(), name.in(directory)));
        return copies;
    }
}
