package dev.mdtload.image;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.mbn.HashSegment;
import dev.mdtload.parallel.BiggestFirst;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an opened image completely: the structural violations found while opening, then every
 * segment's bytes against its digest. Segments are hashed on every core, biggest first (the
 * common fork-join pool is shared with the images validated beside this one).
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
        String name = image.path().toString();
        List<Violation> errors = new ArrayList<>(image.violations());
        if (!image.declaresHashSegment() && !allowUnsigned) {
            errors.add(Violation.of(Rule.HASH_SEGMENT_MISSING, name,
                    "no hash segment (QCOM type 2); use --allow-unsigned for a plain ELF"));
        }
        HashSegment hash = image.hashSegment().orElse(null);
        Set<Integer> unhashed = overlapping(name, image.segments().stream().filter(s -> hashes(hash, s)).toList(), errors);
        List<Outcome> outcomes = BiggestFirst.map(image.segments(), s -> s.phdr().p_filesz(),
                s -> unhashed.contains(s.index()) ? new Outcome(DigestStatus.MISSING, null) : outcome(name, hash, s));
        List<DigestStatus> statuses = outcomes.stream().map(Outcome::status).toList();
        for (ImageSegment s : image.segments()) {
            Outcome outcome = outcomes.get(s.index());
            if (outcome.fault() != null) {
                errors.add(outcome.fault());
            }
            if (outcome.status() == DigestStatus.MISMATCH) {
                errors.add(Violation.of(s.phdr().p_filesz() == 0 || s.phdr().isHashSegment()
                                ? Rule.DIGEST_NOT_ZERO : Rule.DIGEST_MISMATCH,
                        name, s.index(), mismatchMessage(s, hash)));
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

    /** A segment's digest status, or the violation that kept it from being read. */
    private record Outcome(DigestStatus status, Violation fault) {}

    private static Outcome outcome(String name, HashSegment hash, ImageSegment s) {
        try {
            return new Outcome(check(hash, s), null);
        } catch (InternalError fault) {
            // a mapped file cut short after it was measured faults when read (SIGBUS); the JVM
            // raises that as InternalError, which must not reach the user as a crash
            return new Outcome(DigestStatus.MISSING, Violation.of(Rule.PART_CHANGED, name, s.index(),
                    s.sourceName() + " changed size (or failed to read) while it was being hashed"));
        }
    }

    /** Whether {@link #check} reads the segment's bytes: it has some, and a digest to match them against. */
    private static boolean hashes(HashSegment hash, ImageSegment s) {
        return hash != null && s.index() < hash.digestCount() && !s.phdr().isHashSegment() && s.hasData()
                && s.phdr().p_filesz() > 0;
    }

    /**
     * The segments to be hashed whose bytes another one already covers, each reported. Real
     * firmware never shares file bytes between segments, and without this check 65535 program
     * headers over the same megabytes of one file would be hashed 65535 times over: minutes of
     * SHA for a few MB of input. Now every byte is hashed at most once. Segments of one file are
     * slices of one mapping, so overlapping addresses are overlapping file bytes (and slices of
     * different files never overlap).
     */
    private static Set<Integer> overlapping(String name, List<ImageSegment> hashed, List<Violation> errors) {
        List<ImageSegment> byAddress = hashed.stream().sorted(Comparator.comparingLong(s -> s.data().address())).toList();
        Set<Integer> overlapping = new HashSet<>();
        ImageSegment reach = null;
        for (ImageSegment s : byAddress) {
            if (reach != null && s.data().address() < end(reach)) {
                overlapping.add(s.index());
                errors.add(Violation.of(Rule.FILE_BYTES_OVERLAP, name, s.index(), String.format(
                        "p_offset 0x%x + p_filesz 0x%x of %s overlaps the file bytes of segment %d (p_offset 0x%x + p_filesz 0x%x)",
                        s.phdr().p_offset(), s.phdr().p_filesz(), s.sourceName(), reach.index(),
                        reach.phdr().p_offset(), reach.phdr().p_filesz())));
            }
            if (reach == null || end(s) > end(reach)) {
                reach = s;
            }
        }
        return overlapping;
    }

    private static long end(ImageSegment s) {
        return s.data().address() + s.data().byteSize();
    }

    private static DigestStatus check(HashSegment hash, ImageSegment s) {
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
