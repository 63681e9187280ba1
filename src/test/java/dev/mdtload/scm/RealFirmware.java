package dev.mdtload.scm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real image from ../shared/firmware, copied to a temp dir and read by this small ELF32 reader
 * of its own (independent of dev.mdtload.elf and dev.mdtload.image), to build what a loader would
 * hand the secure world: the metadata blob and a carveout file with every segment in place.
 */
final class RealFirmware {
    static final long PAGE = 4096;

    record Phdr(int index, long type, long offset, long paddr, long filesz, long memsz, long flags) {
        boolean isHash() {
            return ((flags >> 24) & 7) == 2;
        }

        boolean isLoadable() {
            return type == 1 && !isHash() && memsz != 0;
        }
    }

    final Path file;
    final byte[] bytes;
    final List<Phdr> phdrs;
    final boolean split;

    private RealFirmware(Path file) throws IOException {
        this.file = file;
        this.bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes[4] != 1) {
            throw new IllegalArgumentException(file + ": this reader handles ELF32 only");
        }
        long phoff = Integer.toUnsignedLong(b.getInt(28));
        int phnum = Short.toUnsignedInt(b.getShort(44));
        List<Phdr> list = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) phoff + 32 * i;
            list.add(new Phdr(i, u32(b, at), u32(b, at + 4), u32(b, at + 12), u32(b, at + 16), u32(b, at + 20),
                    u32(b, at + 24)));
        }
        this.phdrs = List.copyOf(list);
        this.split = list.stream().anyMatch(p -> p.filesz > 0 && p.offset + p.filesz > bytes.length);
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
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
        if (split) {
            String name = file.getFileName().toString();
            Path part = file.resolveSibling(name.substring(0, name.length() - 3) + String.format("b%02d", p.index));
            return p.filesz == 0 ? new byte[0] : Files.readAllBytes(part);
        }
        return Arrays.copyOfRange(bytes, (int) p.offset, (int) (p.offset + p.filesz));
    }

    Phdr hashSegment() {
        return phdrs.stream().filter(Phdr::isHash).findFirst().orElseThrow();
    }

    /** Kernel qcom_mdt_read_metadata(): segment 0's bytes (headers), then the hash segment. */
    byte[] metadata() throws IOException {
        byte[] headers = Arrays.copyOf(bytes, (int) phdrs.getFirst().filesz);
        byte[] hash = segment(hashSegment());
        byte[] blob = Arrays.copyOf(headers, headers.length + hash.length);
        System.arraycopy(hash, 0, blob, headers.length, hash.length);
        return blob;
    }

    List<Phdr> loadable() {
        return phdrs.stream().filter(Phdr::isLoadable).toList();
    }

    boolean relocatable() {
        return loadable().stream().anyMatch(p -> (p.flags & (1L << 27)) != 0);
    }

    long minPaddr() {
        return loadable().stream().mapToLong(Phdr::paddr).min().orElseThrow();
    }

    /** Kernel qcom_mdt_get_size(). */
    long loadSize() {
        long end = loadable().stream().mapToLong(p -> p.paddr + p.memsz).max().orElseThrow();
        return ((end + PAGE - 1) & -PAGE) - minPaddr();
    }

    /** Where segment {@code p} lands when the image is loaded at {@code base}. */
    long placedAt(Phdr p, long base) {
        return relocatable() ? base + (p.paddr - minPaddr()) : p.paddr;
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
