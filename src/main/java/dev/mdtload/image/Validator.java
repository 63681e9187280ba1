package dev.mdtload.image;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Verdict;
import dev.mdtload.check.Violation;
import dev.mdtload.kernel.KernelRules;
import dev.mdtload.kernel.TargetKernel;
import dev.mdtload.mbn.HashSegment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an opened image completely: the structural violations found while opening, then every
 * segment's bytes against its digest, and sorts what it found into errors and warnings by each
 * rule's severity. Distinct file ranges are hashed once each, on every core and biggest first
 * (the common fork-join pool is shared with the images validated beside this one), within
 * {@link HashPlan}'s bound.
 *
 * @param allowUnsigned accept a plain ELF without a hash segment (digests then report "missing")
 * @param strict        count warnings as errors ({@code --strict})
 * @param kernel        the kernel whose loader rules apply ({@code --kernel}), or none
 */
public record Validator(boolean allowUnsigned, boolean strict, TargetKernel kernel) {

    /** A structural validator that lists warnings without failing on them. */
    public Validator(boolean allowUnsigned) {
        this(allowUnsigned, false);
    }

    /** A structural validator: mdtload's own rules, no kernel's. */
    public Validator(boolean allowUnsigned, boolean strict) {
        this(allowUnsigned, strict, TargetKernel.NONE);
    }

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
        List<Violation> found = new ArrayList<>(image.violations());
        switch (kernel) {
            case KernelRules rules -> found.addAll(KernelChecks.of(image, rules));
            case TargetKernel.None _ -> { }
        }
        if (!image.declaresHashSegment() && !allowUnsigned) {
            found.add(Violation.of(Rule.HASH_SEGMENT_MISSING, name,
                    "no hash segment (QCOM type 2); use --allow-unsigned for a plain ELF"));
        }
        Optional<HashSegment> hash = image.hashSegment();
        HashPlan plan = HashPlan.of(hash.map(h -> image.segments().stream().filter(s -> hashes(h, s)).toList())
                .orElse(List.of()));
        found.addAll(plan.sharedBytes(name));
        boolean withinBudget = plan.withinBudget(image.inputBytes());
        Map<HashPlan.Range, byte[]> digests = Map.of();
        if (!withinBudget) {
            found.add(plan.refusal(name, image.inputBytes()));
        } else if (hash.isPresent()) {
            digests = plan.digests(hash.get().algorithm());
        }
        List<DigestStatus> statuses = new ArrayList<>();
        for (ImageSegment s : image.segments()) {
            // without a hash segment there is no table to hold a digest
            statuses.add(hash.isPresent() ? status(hash.get(), s, digests, withinBudget, name, found) : DigestStatus.MISSING);
        }
        List<ImageReport.Segment> segments = new ArrayList<>();
        for (ImageSegment s : image.segments()) {
            segments.add(ImageReport.Segment.of(s, statuses.get(s.index())));
        }
        Verdict verdict = Verdict.of(found, strict);
        LoadLayout layout = image.layout();
        return new ImageReport(
                image.path().toString(),
                verdict.valid(),
                image.elfClass().bits(),
                image.elf().phdrs().size(),
                image.split(),
                hash.map(HashSegment::version).orElse(null),
                hash.map(h -> h.algorithm().jcaName()).orElse(null),
                layout.loadSize(),
                layout.span(),
                layout.minAddress(),
                layout.relocatable(),
                hash.map(h -> h.signature().length()).orElse(null),
                hash.map(h -> h.certChain().length()).orElse(null),
                plan.hashed(),
                segments,
                verdict.errors(),
                verdict.warnings());
    }

    /**
     * Refuses an image with errors (warnings too, when strict); for callers that must not go on
     * with an invalid image.
     *
     * @return the warnings of an image that may go on, for the caller's report
     */
    public List<Violation> requireValid(FirmwareImage image) throws InvalidImageException {
        ImageReport report = validate(image);
        if (!report.valid()) {
            throw new InvalidImageException(report.errors());
        }
        return report.warnings();
    }

    /**
     * The segment's digest status against {@code hash}'s table, adding to {@code found} a mismatch, or
     * a part that changed while {@code digests} were computed.
     */
    private static DigestStatus status(HashSegment hash, ImageSegment s, Map<HashPlan.Range, byte[]> digests,
                                       boolean withinBudget, String name, List<Violation> found) {
        DigestStatus status = DigestStatus.MISSING;
        if (!hashes(hash, s)) {
            status = check(hash, s);
        } else if (digests.containsKey(HashPlan.Range.of(s.data()))) {
            status = Arrays.equals(hash.digest(s.index()), digests.get(HashPlan.Range.of(s.data())))
                    ? DigestStatus.OK : DigestStatus.MISMATCH;
        } else if (withinBudget) {
            found.add(Violation.of(Rule.PART_CHANGED, name, s.index(),
                    s.sourceName() + " changed size (or failed to read) while it was being hashed"));
        }
        if (status == DigestStatus.MISMATCH) {
            found.add(Violation.of(s.phdr().p_filesz() == 0 || s.phdr().isHashSegment()
                            ? Rule.DIGEST_NOT_ZERO : Rule.DIGEST_MISMATCH,
                    name, s.index(), mismatchMessage(s, hash)));
        }
        return status;
    }

    /** Whether the segment's bytes are hashed: it has some, and a digest to match them against. */
    private static boolean hashes(HashSegment hash, ImageSegment s) {
        return s.index() < hash.digestCount() && !s.phdr().isHashSegment() && s.hasData() && s.phdr().p_filesz() > 0;
    }

    /** The digest status of a segment whose bytes are not hashed (see {@link #hashes}). */
    private static DigestStatus check(HashSegment hash, ImageSegment s) {
        if (s.index() >= hash.digestCount()) {
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
        // no file bytes: signing tools disagree, most write zeros, some the digest of the empty string
        if (HashSegment.isZero(expected)) {
            return DigestStatus.ZERO;
        }
        return Arrays.equals(expected, hash.algorithm().emptyDigest()) ? DigestStatus.OK : DigestStatus.MISMATCH;
    }

    private static String mismatchMessage(ImageSegment s, HashSegment hash) {
        if (s.phdr().isHashSegment()) {
            return "the hash segment's own digest entry is not zero";
        }
        if (s.phdr().p_filesz() == 0) {
            return "digest entry of a segment without file bytes is neither zero nor the " + hash.algorithm() + " of nothing";
        }
        String from = s.readFrom().map(p -> " (from " + p.getFileName() + ")").orElse("");
        return String.format("%s of %d bytes%s does not match the hash table entry", hash.algorithm(),
                s.phdr().p_filesz(), from);
    }
}
