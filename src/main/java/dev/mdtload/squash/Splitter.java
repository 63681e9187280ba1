package dev.mdtload.squash;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageSegment;
import dev.mdtload.image.Validator;
import dev.mdtload.mbn.PartName;
import dev.mdtload.files.AtomicFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an image into {@code BASE.mdt} + {@code BASE.bNN}, the inverse of {@link Squasher}, as
 * the split sets in linux-firmware are laid out: the {@code .mdt} holds segment 0 (the ELF and
 * program headers) followed directly by the hash segment, and every program header with file
 * bytes gets a {@code .bNN} holding exactly its p_filesz bytes (NN = its index).
 *
 * <p>A program header without file bytes gets no part. The real sets disagree here (WCN6750's
 * wpss.b08 exists and is empty, IPQ8074's q6_fw has no .b06); no part is what pil-splitter
 * writes, the kernel never opens a part for an empty segment, and {@code FirmwareImage} accepts
 * both, so either way the set squashes back to the same bytes.
 *
 * <p>The image is validated and every output checked to be absent (unless replacing) before
 * anything is written; each file is written atomically, and a failure part-way removes the
 * files this split had created. The {@code .mdt} is written last, so a set whose {@code .mdt}
 * exists is complete even if the run was killed.
 */
public final class Splitter {
    private Splitter() {}

    /**
     * What a split wrote.
     *
     * @param files      the .mdt first, then the parts in index order
     * @param strayBytes non-zero bytes of a single-file input that lie outside every header and
     *                   segment: they are not in any output, so squashing the split loses them
     */
    public record Result(List<Path> files, long strayBytes) {
        public Result {
            files = List.copyOf(files);
        }
    }

    /**
     * Splits {@code image} into {@code directory} (created if missing), naming the outputs after
     * the image's file name without its extension.
     *
     * @throws InvalidImageException the image breaks a rule; nothing was written
     */
    public static Result split(Path image, Path directory, boolean replace) throws IOException, InvalidImageException {
        String base = baseName(image);
        try (FirmwareImage img = FirmwareImage.open(image)) {
            new Validator(false).requireValid(img);
            List<ImageSegment> parts = img.segments().stream().filter(s -> s.phdr().p_filesz() > 0).toList();
            Path mdt = directory.resolve(base + ".mdt");
            List<Path> targets = new ArrayList<>();
            targets.add(mdt);
            for (ImageSegment s : parts) {
                if (s.index() > PartName.MAX_INDEX) {
                    throw new InvalidImageException(Violation.of(Rule.TOO_MANY_PHDRS, image.toString(), s.index(),
                            "has file bytes, but no two-digit .bNN part name can number it"));
                }
                targets.add(PartName.of(mdt, s.index()));
            }
            for (Path t : targets) {
                AtomicFile.requireAbsent(t, replace);
            }
            long stray = 0;
            if (!img.split()) {
                try (RawImage raw = RawImage.open(image, img.elf())) {
                    stray = raw.strayBytes();
                }
            }
            Files.createDirectories(directory);
            List<ImageSegment> inMdt = parts.stream().filter(s -> s.index() == 0 || s.phdr().isHashSegment()).toList();
            List<Path> created = new ArrayList<>();
            try {
                // parts first, the .mdt last: a reader (or a run killed half-way) that finds the new
                // .mdt finds all of its parts, as Assembled.writeSplit and the stager order them
                for (int i = 0; i < parts.size(); i++) {
                    write(targets.get(i + 1), replace, List.of(parts.get(i)), created);
                }
                write(mdt, replace, inMdt, created);
            } catch (IOException | RuntimeException e) {
                // each file is whole, but half a set is no split: remove what this run created
                for (Path p : created) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                }
                throw e;
            }
            return new Result(targets, stray);
        }
    }

    /** {@code venus.mbn} → {@code venus}; a name without an extension is kept whole. */
    static String baseName(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Writes {@code segments} back to back into {@code target}, noting it in {@code created} if it is new. */
    private static void write(Path target, boolean replace, List<ImageSegment> segments, List<Path> created)
            throws IOException {
        boolean existed = Files.exists(target);
        AtomicFile.writePlaced(target, replace, out -> {
            long at = 0;
            for (ImageSegment s : segments) {
                out.write(s.data(), at);
                at += s.phdr().p_filesz();
            }
        });
        if (!existed) {
            created.add(target);
        }
    }
}
