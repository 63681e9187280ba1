package dev.mdtload.squash;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.Elf;
import dev.mdtload.elf.ElfHeader;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.MappedFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The image file itself, byte for byte, beside what {@code FirmwareImage} resolved from it: the
 * raw ELF and program headers (pil-squasher copies them verbatim) and the bytes that no header
 * and no segment covers (which a split cannot carry).
 */
final class RawImage implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment file;
    private final Elf elf;

    private RawImage(Arena arena, MemorySegment file, Elf elf) {
        this.arena = arena;
        this.file = file;
        this.elf = elf;
    }

    /**
     * Maps {@code image} and checks that its
     * headers are still the ones {@code validated} was parsed from when it was validated.
     */
    static RawImage open(Path image, Elf validated) throws IOException, InvalidImageException {
        Arena arena = Arena.ofConfined();
        try {
            MemorySegment file = MappedFile.map(image, arena);
            Elf now = Elf.parse(file, image.toString());
            if (!now.equals(validated)) {
                throw new InvalidImageException(Violation.of(Rule.PART_CHANGED, image.toString(),
                        "headers changed between validation and copying"));
            }
            return new RawImage(arena, file, now);
        } catch (IOException | InvalidImageException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The ELF header as pil-squasher copies it: the whole Ehdr structure of the class. */
    MemorySegment elfHeader() {
        return file.asSlice(0, elf.elfClass().ehdrSize());
    }

    MemorySegment programHeaders() {
        ElfHeader h = elf.header();
        return file.asSlice(h.e_phoff(), (long) h.e_phnum() * h.e_phentsize());
    }

    long phoff() {
        return elf.header().e_phoff();
    }

    /**
     * Non-zero bytes outside the headers and every segment's file bytes. A split keeps only what
     * the headers describe, so these are what split followed by squash would lose.
     */
    long strayBytes() {
        List<long[]> covered = new ArrayList<>();
        covered.add(new long[] {0, elfHeader().byteSize()});
        covered.add(new long[] {phoff(), phoff() + programHeaders().byteSize()});
        for (ProgramHeader p : elf.phdrs()) {
            covered.add(new long[] {p.p_offset(), p.p_offset() + p.p_filesz()});
        }
        covered.sort(Comparator.comparingLong(r -> r[0]));
        long stray = 0;
        long at = 0;
        for (long[] range : covered) {
            stray += nonZero(at, Math.min(range[0], file.byteSize()));
            at = Math.max(at, range[1]);
        }
        return stray + nonZero(at, file.byteSize());
    }

    private long nonZero(long from, long to) {
        long count = 0;
        for (long i = from; i < to; i++) {
            if (file.get(ValueLayout.JAVA_BYTE, i) != 0) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        arena.close();
    }
}
