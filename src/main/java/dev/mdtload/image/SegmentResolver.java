package dev.mdtload.image;

import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.Elf;
import dev.mdtload.elf.ProgramHeader;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * Decides, for one program header, where its file bytes are and whether the header obeys the
 * kernel's per-segment rules. Problems are recorded, not thrown, so a report lists all of them.
 */
final class SegmentResolver {
    private final String name;
    private final Elf elf;
    private final OpenFile file;
    private final boolean split;
    private final Parts parts;
    private final List<Violation> violations;
    private final boolean anyPart;
    /** The first segment whose file bytes run past the end of the image file (what makes it split), or -1. */
    private final int firstPastEnd;
    /** Some segment other than the metadata really runs past the end: a single file cut short. */
    private final boolean cutShort;

    SegmentResolver(String name, Elf elf, OpenFile file, boolean split, Parts parts, List<Violation> violations) {
        this.name = name;
        this.elf = elf;
        this.file = file;
        this.split = split;
        this.parts = parts;
        this.violations = violations;
        this.anyPart = split && parts.anyExists(elf.phdrs());
        int past = -1;
        boolean cut = false;
        for (ProgramHeader p : elf.phdrs()) {
            boolean wrapped = p.p_offset() < 0 || p.p_filesz() < 0;
            if (p.p_filesz() == 0 || !wrapped && inFile(p).isPresent()) {
                continue;
            }
            past = past < 0 ? p.index() : past;
            cut |= wrapped || metadataCopy(p).isEmpty();
        }
        this.firstPastEnd = past;
        this.cutShort = cut;
    }

    ImageSegment resolve(ProgramHeader p) throws IOException {
        int i = p.index();
        long max = elf.elfClass().maxAddress();
        if (p.isLoadable() && Long.compareUnsigned(p.p_filesz(), p.p_memsz()) > 0) {
            violations.add(Violation.of(Rule.FILESZ_EXCEEDS_MEMSZ, name, i,
                    String.format("p_filesz %d > p_memsz %d", p.p_filesz(), p.p_memsz())));
        }
        if (p.p_offset() < 0 || p.p_filesz() < 0 || p.p_filesz() > max - p.p_offset()) {
            violations.add(Violation.of(Rule.OFFSET_OVERFLOW, name, i,
                    String.format("p_offset 0x%x + p_filesz 0x%x overflows", p.p_offset(), p.p_filesz())));
            return ImageSegment.unavailable(p);
        }
        if (p.p_filesz() == 0) {
            checkEmptyPart(p);
            return ImageSegment.none(p);
        }
        if (!split) {
            Optional<ImageSegment.Bytes.Read> inFile = inFile(p);
            return inFile.isEmpty() ? ImageSegment.unavailable(p) : ImageSegment.read(p, inFile.get());
        }
        Optional<ImageSegment.Bytes.Read> inImage = metadataCopy(p);
        if (inImage.isPresent()) {
            if (parts.exists(i)) {
                checkPartMatches(p, inImage.get().data());
            }
            return ImageSegment.read(p, inImage.get());
        }
        if (!anyPart) {
            // No part at all: a single file cut short. Segments still inside it are read (and their
            // digests checked) so that only the segments really cut are reported.
            Optional<ImageSegment.Bytes.Read> kept = inFile(p);
            if (kept.isPresent() && !cutShort) {
                // Only the metadata reaches past the end, yet that makes the image split: the
                // kernel reads this segment from its part, so bytes in the image file do not count.
                ProgramHeader cause = elf.phdrs().get(firstPastEnd);
                violations.add(Violation.of(Rule.PART_MISSING, name, i, String.format(
                        "%s is missing: segment %d (p_offset 0x%x + p_filesz 0x%x) runs past the end of the file, "
                                + "so the image is split and segment %d comes from its part",
                        parts.path(i).getFileName(), cause.index(), cause.p_offset(), cause.p_filesz(), i)));
            }
            if (kept.isPresent()) {
                return ImageSegment.read(p, kept.get());
            }
            violations.add(Violation.of(Rule.SEGMENT_TRUNCATED, name, i, String.format(
                    "p_offset 0x%x + p_filesz 0x%x runs past the end of the file (%d bytes) and no %s exists",
                    p.p_offset(), p.p_filesz(), file.size(), parts.path(i).getFileName())));
            return ImageSegment.unavailable(p);
        }
        Optional<ImageSegment.Bytes.Read> data = parts.map(p, violations);
        return data.isEmpty() ? ImageSegment.unavailable(p) : ImageSegment.read(p, data.get());
    }

    /**
     * Segment 0 (the headers) and the hash segment form the metadata blob; the kernel takes them
     * from the image file itself where they are there, even in a split image:
     * segment 0 at offset 0; the hash segment right after the headers when the file is exactly
     * headers plus hash segment, else at its p_offset. That order is qcom_mdt_read_metadata()'s,
     * and it matters when both fit: the bytes hashed must be the bytes the secure world is sent.
     */
    private Optional<ImageSegment.Bytes.Read> metadataCopy(ProgramHeader p) {
        long size = file.size();
        if (p.index() == 0) {
            return p.p_filesz() <= size ? Optional.of(file.read(0, p.p_filesz())) : Optional.empty();
        }
        if (!p.isHashSegment()) {
            return Optional.empty();
        }
        long headers = elf.phdrs().getFirst().p_filesz();
        if (headers >= 0 && headers <= size && p.p_filesz() == size - headers) {
            return Optional.of(file.read(headers, p.p_filesz()));
        }
        return inFile(p);
    }

    /** The segment's bytes at p_offset of the image file; empty when they run past its end. */
    private Optional<ImageSegment.Bytes.Read> inFile(ProgramHeader p) {
        long size = file.size();
        return p.p_offset() <= size && p.p_filesz() <= size - p.p_offset()
                ? Optional.of(file.read(p.p_offset(), p.p_filesz())) : Optional.empty();
    }

    /** A part that duplicates metadata the image file already holds must say the same thing. */
    private void checkPartMatches(ProgramHeader p, MemorySegment inImage) throws IOException {
        Optional<ImageSegment.Bytes.Read> mapped = parts.map(p, violations);
        if (mapped.isEmpty()) {
            return;
        }
        MemorySegment part = mapped.get().data();
        if (part.mismatch(inImage) != -1) {
            violations.add(Violation.of(Rule.PART_DIFFERS, name, p.index(), String.format(
                    "%s differs from the segment's copy in the image file at byte %d",
                    parts.path(p.index()).getFileName(), part.mismatch(inImage))));
        }
    }

    /** A segment without file bytes needs no part, but a part that is there must be empty. */
    private void checkEmptyPart(ProgramHeader p) throws IOException {
        if (split && parts.exists(p.index())) {
            parts.map(p, violations);
        }
    }
}
