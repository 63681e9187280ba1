package dev.mdtload.squash;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageSegment;
import dev.mdtload.image.Validator;
import dev.mdtload.files.AtomicFile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Joins a split image ({@code .mdt} + {@code .bNN}) into one file, byte for byte as pil-squasher
 * does: the ELF header and program headers copied unchanged, then every segment's file bytes at
 * its own p_offset, in program-header order; gaps read as zeros and the file ends at the last
 * byte written. Unlike pil-squasher, which warns and goes on when a part is missing, the whole
 * image is validated (structure, parts, digests) before anything is written.
 */
public final class Squasher {
    private Squasher() {}

    /**
     * Squashes {@code image} into {@code output}.
     *
     * @param replace whether an existing {@code output} may be replaced
     * @throws InvalidImageException the image breaks a rule; nothing was written
     */
    public static void squash(Path image, Path output, boolean replace) throws IOException, InvalidImageException {
        AtomicFile.requireAbsent(output, replace);
        try (FirmwareImage img = FirmwareImage.open(image)) {
            new Validator(false).requireValid(img);
            try (RawImage raw = RawImage.open(image, img.elf())) {
                AtomicFile.writePlaced(output, replace, out -> {
                    out.write(raw.elfHeader(), 0);
                    out.write(raw.programHeaders(), raw.phoff());
                    for (ImageSegment s : img.segments()) {
                        if (s.phdr().p_filesz() > 0) {
                            out.write(s.data(), s.phdr().p_offset());
                        }
                    }
                });
            }
        }
    }
}
