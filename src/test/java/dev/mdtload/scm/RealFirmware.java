package dev.mdtload.scm;

import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RawElf.Phdr;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A real image from ../shared/firmware, copied to a temp dir and read by the tests' own ELF32
 * reader ({@link RawElf}, {@link ExpectedCarveout}; independent of dev.mdtload.elf and
 * dev.mdtload.image), to build what a loader would hand the secure world: the metadata blob and a
 * carveout file with every segment in place.
 */
final class RealFirmware {
    static final long PAGE = 4096;

    final Path file;
    final List<Phdr> phdrs;
    final boolean split;
    private final RawElf elf;
    private final ExpectedCarveout kernel;

    private RealFirmware(Path file) throws IOException {
        this.file = file;
        this.elf = RawElf.read(file);
        this.kernel = ExpectedCarveout.of(file);
        this.phdrs = elf.phdrs();
        this.split = kernel.split();
    }

    /** Copies {@code relative} (under ../shared/firmware) and its .bNN parts into {@code dir}. */
    static RealFirmware copy(String relative, Path dir) throws IOException {
        Path source = Path.of(System.getProperty("mdtload.shared", "../shared"), "firmware", relative);
        String stem = source.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        try (var parts = Files.list(source.getParent())) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith(stem + ".")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return new RealFirmware(dir.resolve(source.getFileName()));
    }

    /** A segment's file bytes: from its .bNN when the image is split, else from the image at p_offset. */
    byte[] segment(Phdr p) throws IOException {
        return kernel.fileBytes(p);
    }

    Phdr hashSegment() {
        return elf.hashPhdr();
    }

    /** Kernel qcom_mdt_read_metadata(): segment 0's bytes (headers), then the hash segment. */
    byte[] metadata() throws IOException {
        byte[] headers = Arrays.copyOf(elf.bytes(), (int) phdrs.getFirst().filesz());
        byte[] hash = segment(hashSegment());
        byte[] blob = Arrays.copyOf(headers, headers.length + hash.length);
        System.arraycopy(hash, 0, blob, headers.length, hash.length);
        return blob;
    }

    List<Phdr> loadable() {
        return kernel.loadable();
    }

    boolean relocatable() {
        return kernel.relocatable();
    }

    long minPaddr() {
        return kernel.minPaddr();
    }

    /** Kernel qcom_mdt_get_size(). */
    long loadSize() {
        long end = loadable().stream().mapToLong(p -> p.paddr() + p.memsz()).max().orElseThrow();
        return ((end + PAGE - 1) & -PAGE) - minPaddr();
    }

    /** Where segment {@code p} lands when the image is loaded at {@code base}. */
    long placedAt(Phdr p, long base) {
        return base + kernel.offset(p, base);
    }

    /**
     * A zero-filled carveout file of {@code size} bytes standing for physical memory at
     * {@code carveoutPhys}, with every loadable segment's file bytes written where loading the
     * image at {@code imageBase} puts them.
     */
    Path writeCarveout(Path target, long carveoutPhys, long size, long imageBase) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(target.toFile(), "rw")) {
            out.setLength(size);
            for (Phdr p : loadable()) {
                out.seek(placedAt(p, imageBase) - carveoutPhys);
                out.write(segment(p));
            }
        }
        return target;
    }
}
