package dev.mdtload.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.LoadLayout;
import dev.mdtload.image.Validator;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Target (a): arbitrary bytes as a single-file image, through the parser, the part resolver (it
 * finds no parts), the hash segment, the load layout and the digest check. The file lives in an
 * in-memory file system so an input costs no disk I/O. Seeds: every real image, trimmed so the
 * digests still match (see {@link SeedCorpus}).
 */
class ImageFuzzTest {
    private static final FileSystem FS = Jimfs.newFileSystem(Configuration.unix());
    private static final Path IMAGE = FS.getPath("/firmware/image.mbn");
    private static final Validator VALIDATOR = new Validator(true);

    @FuzzTest
    void singleFileImage(byte[] bytes) throws IOException {
        Files.createDirectories(IMAGE.getParent());
        Files.write(IMAGE, bytes);
        try (FirmwareImage image = FirmwareImage.open(IMAGE)) {
            ImageReport report = VALIDATOR.validate(image);
            Verdicts.requireConsistent(report);
            if (report.valid()) {
                ReferenceReader.requireValid(bytes);
                requireLoadable(image);
            }
        } catch (InvalidImageException e) {
            Verdicts.requireRuled(e);
        }
    }

    /**
     * A valid image fits a carveout of exactly its load size at its lowest address, and yields the
     * metadata blob the kernel would build: the headers followed by the hash segment.
     */
    private static void requireLoadable(FirmwareImage image) {
        LoadLayout layout = image.layout();
        try {
            int placed = layout.place(image.toString(), layout.minAddress(), layout.loadSize()).size();
            if (placed != layout.loadable().size()) {
                throw new AssertionError(placed + " of " + layout.loadable().size() + " segments placed");
            }
        } catch (InvalidImageException e) {
            throw new AssertionError("a valid image does not fit a carveout of its own load size: " + e.getMessage(), e);
        }
        image.hashSegment().ifPresent(hash -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment blob = image.metadata(arena);
                long expected = image.segment(0).phdr().p_filesz() + hash.bytes().byteSize();
                if (blob.byteSize() != expected) {
                    throw new AssertionError("metadata blob of " + blob.byteSize() + " bytes, expected " + expected);
                }
            }
        });
    }
}
