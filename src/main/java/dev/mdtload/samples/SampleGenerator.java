package dev.mdtload.samples;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Severity;
import dev.mdtload.files.AtomicFile;
import dev.mdtload.files.FileTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the sample catalogue: valid images of every kind ({@code valid/}), one broken image per
 * error rule ({@code broken/<rule-id>/}), one valid image carrying each warning
 * ({@code warning/<rule-id>/}), one image per kernel-dependent rule that some releases refuse and
 * others load ({@code kernel/<rule-id>/}) and a README listing them. The output depends on nothing but
 * this code: same bytes on every run, so the committed copy can be checked against it.
 */
public final class SampleGenerator {
    /** What the generator owns in its directory; anything else there is left alone. */
    static final List<String> OWNED = List.of("README.md", "broken", "kernel", "valid", "warning");

    private SampleGenerator() {}

    /**
     * Writes the catalogue into {@code dir}, replacing what an earlier run wrote. Everything is
     * written into a staging directory first, so a failure leaves the previous samples in place.
     *
     * @return how many images were written
     */
    public static int generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path staging = Files.createTempDirectory(dir, ".samples-");
        try {
            int count = writeAll(staging);
            for (String entry : OWNED) {
                FileTrees.delete(dir.resolve(entry));
                Files.move(staging.resolve(entry), dir.resolve(entry));
            }
            return count;
        } finally {
            FileTrees.delete(staging);
        }
    }

    /** How {@code dir} differs from a fresh generation (nothing when it matches byte for byte). */
    public static List<Difference> check(Path dir) throws IOException {
        Path fresh = Files.createTempDirectory("mdtload-samples-");
        try {
            writeAll(fresh);
            return TreeDiff.compare(fresh, dir, OWNED);
        } finally {
            FileTrees.delete(fresh);
        }
    }

    private static int writeAll(Path root) throws IOException {
        List<Sample> valid = ValidSamples.all();
        List<Sample> ruled = BrokenSamples.all();
        List<Sample> broken = ruled.stream().filter(r -> r.rule().severity() == Severity.ERROR).toList();
        List<Sample> warned = ruled.stream().filter(r -> r.rule().severity() == Severity.WARNING).toList();
        List<Sample> all = new ArrayList<>(valid);
        all.addAll(ruled);
        all.addAll(KernelSamples.samples());
        for (Sample s : all) {
            Path image = root.resolve(s.image());
            Files.createDirectories(image.getParent());
            try {
                s.writer().write(image);
            } catch (InvalidImageException e) {
                // the catalogue is fixed: a refusal here is a bug in a sample's recipe, not bad input
                throw new IllegalStateException("sample " + s.image() + " cannot be written: " + e.getMessage(), e);
            }
        }
        String readme = Readme.render(valid, broken, warned, KernelSamples.all(), BrokenSamples.WITHOUT_SAMPLE);
        AtomicFile.write(root.resolve("README.md"), true, readme.getBytes(StandardCharsets.UTF_8));
        return all.size();
    }
}
