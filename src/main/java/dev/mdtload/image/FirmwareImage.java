package dev.mdtload.image;

import dev.mdtload.address.Page;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.Elf;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.mbn.DigestAlgorithm;
import dev.mdtload.mbn.HashSegment;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An opened firmware image: the parsed headers, every segment's bytes mapped from the image file
 * or its {@code .bNN} parts, the hash segment, and every structural rule it breaks. Digests are
 * checked separately ({@link Validator}) because that is the slow part.
 *
 * <p>Opening never writes anything. The mappings live until {@link #close()}.
 */
public final class FirmwareImage implements AutoCloseable {
    private final Path path;
    private final OpenFiles files;
    private final MemorySegment file;
    private final Elf elf;
    private final boolean split;
    private final List<ImageSegment> segments;
    private final HashTable hashTable;
    private final LoadLayout layout;
    private final List<Violation> violations;
    private final long inputBytes;

    private FirmwareImage(Path path, OpenFiles files, MemorySegment file, Elf elf, boolean split, List<ImageSegment> segments,
                          HashTable hashTable, LoadLayout layout, List<Violation> violations, long inputBytes) {
        this.path = path;
        this.files = files;
        this.file = file;
        this.elf = elf;
        this.split = split;
        this.segments = List.copyOf(segments);
        this.hashTable = hashTable;
        this.layout = layout;
        this.violations = Collections.unmodifiableList(violations);
        this.inputBytes = inputBytes;
    }

    /**
     * Opens {@code path} (a .mdt, a .mbn, or a link to either) and resolves its parts.
     *
     * @throws NoSuchFileException   the image itself does not exist
     * @throws IOException           it cannot be read (permission, I/O): an environment problem
     * @throws InvalidImageException the ELF header is broken, so nothing else can be read
     */
    public static FirmwareImage open(Path path) throws IOException, InvalidImageException {
        if (!Files.exists(path)) {
            requireResolvable(path);
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidImageException(Violation.of(Rule.PART_NOT_REGULAR_FILE, path.toString(),
                    "image is not a regular file"));
        }
        OpenFiles files = new OpenFiles();
        try {
            // a symlink is followed by open(2) itself; parts are still named after the name given
            String name = path.toString();
            OpenFile opened = files.open(Path.of(name), path);
            MemorySegment file = opened.bytes();
            Elf elf = Elf.parse(file, name);
            List<Violation> violations = new ArrayList<>();
            Parts parts = new Parts(path, files);
            boolean split = isSplit(elf, file.byteSize());
            List<ImageSegment> segments = new ArrayList<>(elf.phdrs().size());
            SegmentResolver resolver = new SegmentResolver(name, elf, opened, split, parts, violations);
            for (ProgramHeader phdr : elf.phdrs()) {
                segments.add(resolver.resolve(phdr));
            }
            HashTable hash = readHashSegment(name, elf, segments, violations);
            LoadLayout layout = LoadLayout.of(name, elf, violations);
            return new FirmwareImage(path, files, file, elf, split, segments, hash, layout, violations,
                    file.byteSize() + parts.mappedBytes());
        } catch (IOException | InvalidImageException | RuntimeException | Error e) {
            files.close();
            throw e;
        }
    }

    /**
     * A name that does not exist may still be a link: a dangling one is a missing file, but a loop
     * of links is there and broken, an invalid image rather than a mistyped path.
     */
    private static void requireResolvable(Path path) throws IOException, InvalidImageException {
        if (!Files.isSymbolicLink(path)) {
            return;
        }
        try {
            path.toRealPath();
        } catch (NoSuchFileException | AccessDeniedException dangling) {
            return;
        } catch (FileSystemException loop) {
            throw new InvalidImageException(Violation.of(Rule.PART_UNREADABLE, path.toString(),
                    "image cannot be resolved: " + Parts.reason(loop)));
        }
    }

    /**
     * The kernel's qcom_mdt_bins_are_split(): split when any segment with file bytes reaches past
     * the end of the file it was read from. Decided once for the whole image.
     */
    static boolean isSplit(Elf elf, long fileSize) {
        for (ProgramHeader p : elf.phdrs()) {
            if (p.p_filesz() != 0 && (p.p_offset() > fileSize || p.p_filesz() > fileSize - p.p_offset())) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the hash segment gave: its parsed digest table, or nothing to check digests against
     * (none declared, no bytes, or unparsable; the violations say which).
     */
    private sealed interface HashTable {
        record Parsed(HashSegment segment) implements HashTable {}

        record Unusable() implements HashTable {}
    }

    private static HashTable readHashSegment(String name, Elf elf, List<ImageSegment> segments,
                                               List<Violation> violations) {
        List<ProgramHeader> hashes = elf.phdrs().stream().filter(ProgramHeader::isHashSegment).toList();
        if (hashes.isEmpty()) {
            return new HashTable.Unusable();
        }
        if (hashes.size() > 1) {
            violations.add(Violation.of(Rule.HASH_SEGMENT_DUPLICATE, name, hashes.get(1).index(),
                    "second hash segment (the first is segment " + hashes.getFirst().index() + ")"));
        }
        ProgramHeader h = hashes.getFirst();
        // kernel qcom_mdt_read_metadata(): the blob is phdr 0's bytes followed by the hash segment
        if (elf.phdrs().size() < 2 || elf.phdrs().getFirst().p_type() == ProgramHeader.PT_LOAD || h.index() < 1) {
            violations.add(Violation.of(Rule.METADATA_INVALID, name, h.index(),
                    "metadata needs >= 2 program headers, a non-PT_LOAD segment 0 and the hash segment after it"));
        } else if (!coversHeaders(elf)) {
            violations.add(Violation.of(Rule.METADATA_INVALID, name, 0, String.format(
                    "p_filesz 0x%x does not cover the ELF and program headers (0x%x bytes) that the metadata must carry",
                    elf.phdrs().getFirst().p_filesz(), headersEnd(elf))));
        }
        ImageSegment seg = segments.get(h.index());
        if (!seg.hasData()) {
            return new HashTable.Unusable();
        }
        try {
            HashSegment hash = HashSegment.parse(seg.data(), elf.phdrs().size(), name, h.index());
            if (hash.algorithm() != DigestAlgorithm.forVersion(hash.version())) {
                violations.add(Violation.of(Rule.HASH_ALGORITHM_UNUSUAL, name, h.index(), String.format(
                        "MBN v%d hash table of %s digests (%d bytes for %d program headers), not %s",
                        hash.version(), hash.algorithm(), hash.digestTable().length(), elf.phdrs().size(),
                        DigestAlgorithm.forVersion(hash.version()))));
            }
            return new HashTable.Parsed(hash);
        } catch (InvalidImageException e) {
            violations.addAll(e.violations());
            return new HashTable.Unusable();
        }
    }

    /**
     * The metadata blob starts with program header 0's p_filesz bytes of the file
     * (qcom_mdt_read_metadata()); the secure world parses the ELF and program headers from them.
     */
    private static boolean coversHeaders(Elf elf) {
        return Long.compareUnsigned(elf.phdrs().getFirst().p_filesz(), headersEnd(elf)) >= 0;
    }

    private static long headersEnd(Elf elf) {
        return elf.header().e_phoff() + (long) elf.phdrs().size() * elf.elfClass().phdrSize();
    }

    public Path path() {
        return path;
    }

    public Elf elf() {
        return elf;
    }

    /**
     * The whole image file as it was mapped when opened: the bytes its headers, hash segment and
     * (for a single file) segments were read and checked from, whatever has been renamed over its
     * path since. Valid until {@link #close()}.
     */
    public MemorySegment fileBytes() {
        return file;
    }

    public ElfClass elfClass() {
        return elf.elfClass();
    }

    public boolean split() {
        return split;
    }

    public List<ImageSegment> segments() {
        return segments;
    }

    public ImageSegment segment(int index) {
        return segments.get(index);
    }

    public Optional<HashSegment> hashSegment() {
        return hashTable instanceof HashTable.Parsed(HashSegment h) ? Optional.of(h) : Optional.empty();
    }

    /** True when a hash-segment program header exists, even if its bytes could not be parsed. */
    public boolean declaresHashSegment() {
        return elf.phdrs().stream().anyMatch(ProgramHeader::isHashSegment);
    }

    public LoadLayout layout() {
        return layout;
    }

    /** Bytes of the image file and of every part mapped: what the work of validating it is bounded by. */
    public long inputBytes() {
        return inputBytes;
    }

    /** Structural violations found while opening (digests are not checked yet). */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * The metadata blob the secure world authenticates (kernel qcom_mdt_read_metadata()): segment
     * 0's bytes (ELF header and program headers) followed by the hash segment, in {@code target}.
     */
    public MemorySegment metadata(Arena target) {
        ImageSegment header = segments.getFirst();
        MemorySegment hash = hashSegment().filter(h -> header.hasData()).map(HashSegment::bytes).orElseThrow(() ->
                new IllegalStateException(path + ": no metadata in an image without a valid hash segment"));
        MemorySegment blob = target.allocate(header.data().byteSize() + hash.byteSize(), Page.SIZE);
        MemorySegment.copy(header.data(), 0, blob, 0, header.data().byteSize());
        MemorySegment.copy(hash, 0, blob, header.data().byteSize(), hash.byteSize());
        return blob;
    }

    @Override
    public void close() {
        files.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
