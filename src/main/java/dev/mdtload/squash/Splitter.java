package dev.mdtload.squash;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageSegment;
import dev.mdtload.image.Validator;
import dev.mdtload.output.AtomicFile;

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
 * <p>Every output is validated first, staged as temporary files, and renamed into place only
 * when all of them are written.
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
                targets.add(directory.resolve(String.format("%s.b%02d", base, s.index())));
            }
            for (Path t : targets) {
                AtomicFile.requireAbsentUnless(t, replace);
            }
            long stray = 0;
            if (!img.split()) {
                try (RawImage raw = RawImage.open(image, img.elf())) {
                    stray = raw.strayBytes();
                }
            }
            Files.createDirectories(directory);
            List<AtomicFile> outputs = new ArrayList<>();
            try {
                AtomicFile header = AtomicFile.create(mdt, replace);
                outputs.add(header);
                long at = 0;
                for (ImageSegment s : parts) {
                    if (s.index() == 0 || s.phdr().isHashSegment()) {
                        header.write(s.data(), at);
                        at += s.phdr().p_filesz();
                    }
                }
                for (int i = 0; i < parts.size(); i++) {
                    AtomicFile part = AtomicFile.create(targets.get(i + 1), replace);
                    outputs.add(part);
                    part.write(parts.get(i).data(), 0);
                }
                for (AtomicFile f : outputs) {
                    f.commit();
                }
            } finally {
                closeAll(outputs);
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

    private static void closeAll(List<AtomicFile> outputs) throws IOException {
        IOException first = null;
        for (AtomicFile f : outputs) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
