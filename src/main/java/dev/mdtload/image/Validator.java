package dev.mdtload.image;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.mbn.HashSegment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks an opened image completely: the structural violations found while opening, then every
 * segment's bytes against its digest. Segments are hashed in parallel (the common fork-join pool
 * is shared with the images validated beside this one).
 *
 * @param allowUnsigned accept a plain ELF without a hash segment (digests then report "missing")
 */
public record Validator(boolean allowUnsigned) {

    /** Validates the image at {@code path}; a broken ELF header yields an invalid report, not an exception. */
    public ImageReport validate(Path path) throws IOException {
        try (FirmwareImage image = FirmwareImage.open(path)) {
            return validate(image);
        } catch (InvalidImageException e) {
            return ImageReport.unreadable(path.toString(), e.violations());
        }
    }

    public ImageReport validate(FirmwareImage image) {
        List<Violation> errors = new ArrayList<>(image.violations());
        if (!image.declaresHashSegment() && !allowUnsigned) {
            errors.add(Violation.of(Rule.HASH_SEGMENT_MISSING, image.path().toString(),
                    "no hash segment (QCOM type 2); use --allow-unsigned for a plain ELF"));
        }
        HashSegment hash = image.hashSegment().orElse(null);
        List<DigestStatus> statuses = image.segments().parallelStream()
                .map(s -> check(image, hash, s))
                .toList();
        for (ImageSegment s : image.segments()) {
            DigestStatus status = statuses.get(s.index());
            if (status == DigestStatus.MISMATCH) {
                errors.add(Violation.of(s.phdr().p_filesz() == 0 || s.phdr().isHashSegment()
                                ? Rule.DIGEST_NOT_ZERO : Rule.DIGEST_MISMATCH,
                        image.path().toString(), s.index(), mismatchMessage(s, hash)));
            }
        }
        List<ImageReport.Segment> segments = new ArrayList<>();
        for (ImageSegment s : image.segments()) {
            segments.add(ImageReport.Segment.of(s, statuses.get(s.index())));
        }
        LoadLayout layout = image.layout();
        return new ImageReport(
                image.path().toString(),
                errors.isEmpty(),
                image.elfClass().bits(),
                image.elf().phdrs().size(),
                image.split(),
                hash == null ? null : hash.version(),
                hash == null ? null : hash.algorithm().jcaName(),
                layout.loadSize(),
                layout.span(),
                layout.minAddress(),
                layout.relocatable(),
                hash == null ? null : hash.signature().length(),
                hash == null ? null : hash.certChain().length(),
                segments,
                errors);
    }

    /** Structural and digest errors, or nothing; for callers that must refuse an invalid image. */
    public void requireValid(FirmwareImage image) throws InvalidImageException {
        ImageReport report = validate(image);
        if (!report.valid()) {
            throw new InvalidImageException(report.errors());
        }
    }

    private static DigestStatus check(FirmwareImage image, HashSegment hash, ImageSegment s) {
        if (hash == null || s.index() >= hash.digestCount()) {
            return DigestStatus.MISSING;
        }
        byte[] expected = hash.digest(s.index());
        if (s.phdr().isHashSegment()) {
            // the table cannot contain its own digest: the entry is zero by construction
            return HashSegment.isZero(expected) ? DigestStatus.ZERO : DigestStatus.MISMATCH;
        }
        if (!s.hasData()) {
            return DigestStatus.MISSING;
        }
        if (s.phdr().p_filesz() == 0) {
            // signing tools disagree: most write zeros, some the digest of the empty string
            if (HashSegment.isZero(expected)) {
                return DigestStatus.ZERO;
            }
            return Arrays.equals(expected, hash.algorithm().emptyDigest()) ? DigestStatus.OK : DigestStatus.MISMATCH;
        }
        return Arrays.equals(expected, hash.algorithm().digest(s.data())) ? DigestStatus.OK : DigestStatus.MISMATCH;
    }

    private static String mismatchMessage(ImageSegment s, HashSegment hash) {
        if (s.phdr().isHashSegment()) {
            return "the hash segment's own digest entry is not zero";
        }
        if (s.phdr().p_filesz() == 0) {
            return "digest entry of a segment without file bytes is neither zero nor the " + hash.algorithm() + " of nothing";
        }
        String from = s.sourceName() == null ? "" : " (from " + s.sourceName() + ")";
        return String.format("%s of %d bytes%s does not match the hash table entry", hash.algorithm(),
                s.phdr().p_filesz(), from);
    }
}
