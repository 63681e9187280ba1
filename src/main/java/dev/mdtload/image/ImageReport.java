package dev.mdtload.image;

import dev.mdtload.check.Violation;
import dev.mdtload.elf.ProgramHeader;

import java.util.List;

/**
 * The verdict on one image, as printed by {@code info} and {@code validate} and serialised one per
 * line by {@code --json} (field names in snake_case; the schema is documented in README.md).
 * Fields that need a readable ELF header are null when the header itself is broken.
 */
public record ImageReport(
        String path,
        boolean valid,
        Integer elfClass,
        Integer phnum,
        Boolean split,
        Integer mbnVersion,
        String digestAlgorithm,
        Long loadSize,
        Long span,
        Long minAddress,
        Boolean relocatable,
        Long signatureSize,
        Long certChainSize,
        Long hashedBytes,
        List<Segment> segments,
        List<Violation> errors,
        List<Violation> warnings) {

    public ImageReport {
        segments = segments == null ? null : List.copyOf(segments);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /**
     * One program header with where its bytes come from and what its digest says.
     *
     * @param source the file name the bytes were read from; null (JSON {@code null}) when none was
     */
    public record Segment(
            int index,
            long pType,
            int qcomType,
            long flags,
            long offset,
            long vaddr,
            long paddr,
            long filesz,
            long memsz,
            boolean loadable,
            boolean hashSegment,
            String source,
            DigestStatus digest) {

        static Segment of(ImageSegment s, DigestStatus digest) {
            ProgramHeader p = s.phdr();
            return new Segment(p.index(), p.p_type(), p.qcomType(), p.p_flags(), p.p_offset(), p.p_vaddr(),
                    p.p_paddr(), p.p_filesz(), p.p_memsz(), p.isLoadable(), p.isHashSegment(),
                    s.readFrom().map(f -> String.valueOf(f.getFileName())).orElse(null), digest);
        }
    }

    /** This report with {@code more} errors found by a later check (signature verification, all errors); invalid if there are any. */
    public ImageReport withErrors(List<Violation> more) {
        List<Violation> all = new java.util.ArrayList<>(errors);
        all.addAll(more);
        return new ImageReport(path, valid && more.isEmpty(), elfClass, phnum, split, mbnVersion, digestAlgorithm,
                loadSize, span, minAddress, relocatable, signatureSize, certChainSize, hashedBytes, segments, all,
                warnings);
    }

    /** The report for a file whose ELF header could not be read at all. */
    public static ImageReport unreadable(String path, List<Violation> errors) {
        return new ImageReport(path, false, null, null, null, null, null, null, null, null, null, null, null, null, null,
                errors, List.of());
    }
}
