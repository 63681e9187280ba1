package dev.mdtload.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import static java.nio.file.StandardOpenOption.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the kernel's loader (kernel-facts.md §2-3, firmware README) leaves in a fresh, all-zero
 * carveout, worked out from the image files by the tests' own reader ({@link RawElf}), never by
 * the code under test: each loadable segment's p_filesz bytes from its {@code .bNN} (split image)
 * or from the file at p_offset, placed at {@code base + (p_paddr - min p_paddr)} when relocatable
 * and at {@code p_paddr - base} otherwise, then zeros up to p_memsz; every other byte untouched.
 */
public final class ExpectedCarveout {
    private static final long RELOCATABLE = 1L << 27;

    private final Path image;
    private final RawElf elf;
    private final List<RawElf.Phdr> loadable;
    private final boolean split;

    private ExpectedCarveout(Path image) throws IOException {
        this.image = image;
        this.elf = RawElf.read(image);
        this.loadable = elf.phdrs().stream().filter(RawElf.Phdr::isLoadable).toList();
        long length = elf.bytes().length;
        this.split = elf.phdrs().stream().anyMatch(p -> p.filesz() > 0 && p.end() > length);
    }

    public static ExpectedCarveout of(Path image) throws IOException {
        return new ExpectedCarveout(image);
    }

    public List<RawElf.Phdr> loadable() {
        return loadable;
    }

    public boolean relocatable() {
        return loadable.stream().anyMatch(p -> (p.flags() & RELOCATABLE) != 0);
    }

    public long minPaddr() {
        return loadable.stream().mapToLong(RawElf.Phdr::paddr).min().orElseThrow();
    }

    /** The first byte of the page that holds the lowest segment: where a carveout for this image can start. */
    public long pageBase() {
        return minPaddr() & -4096L;
    }

    /** Whole pages from {@link #pageBase()} to the 4 KiB-rounded end of the highest segment, as the kernel rounds it. */
    public long pagedSize() {
        long end = loadable.stream().mapToLong(p -> p.paddr() + p.memsz()).max().orElseThrow();
        return ((end + 4095) & -4096L) - pageBase();
    }

    public boolean split() {
        return split;
    }

    /** Where segment {@code p} starts inside a carveout whose byte 0 is physical address {@code base}. */
    public long offset(RawElf.Phdr p, long base) {
        return relocatable() ? p.paddr() - minPaddr() : p.paddr() - base;
    }

    /** Segment {@code p}'s file bytes, from where the kernel reads them. */
    public byte[] fileBytes(RawElf.Phdr p) throws IOException {
        if (p.filesz() == 0) {
            return new byte[0];
        }
        if (!split) {
            return Arrays.copyOfRange(elf.bytes(), (int) p.offset(), (int) p.end());
        }
        String name = image.getFileName().toString();
        byte[] part = Files.readAllBytes(image.resolveSibling(name.substring(0, name.length() - 3)
                + String.format("b%02d", p.index())));
        assertEquals(p.filesz(), part.length, "part of segment " + p.index() + " must be exactly p_filesz bytes");
        return part;
    }

    /**
     * Asserts that {@code carveout}, a file that was all zeros before the load and stands for
     * physical memory from {@code base}, holds exactly what the kernel would have put there.
     * Compared a chunk at a time, so a 100 MiB carveout needs no 100 MiB array.
     */
    public void assertLoadedInto(Path carveout, long base) throws IOException {
        assertLoadedInto(carveout, base, null);
    }

    /**
     * As {@link #assertLoadedInto(Path, long)}, for a carveout that held {@code before} (null: all
     * zeros): the segments and their zero fill replace those bytes, every other byte keeps them.
     */
    public void assertLoadedInto(Path carveout, long base, byte[] before) throws IOException {
        try (FileChannel channel = FileChannel.open(carveout, READ)) {
            long size = channel.size();
            long cursor = 0;
            RawElf.Phdr cached = null;
            byte[] cachedBytes = null;
            for (Piece piece : pieces(base).values()) {
                if (piece.start() < 0 || piece.end() > size) {
                    fail("segment " + piece.segment().index() + " at carveout offset 0x" + Long.toHexString(piece.start())
                            + " does not fit");
                }
                assertSame(channel, cursor, piece.start() - cursor, before, "before segment " + piece.segment().index());
                if (piece.zeroFill()) {
                    assertSame(channel, piece.start(), piece.length(), null, "zero fill of segment " + piece.segment().index());
                } else {
                    if (piece.segment() != cached) {
                        cached = piece.segment();
                        cachedBytes = fileBytes(cached);
                    }
                    int from = (int) (piece.start() - offset(piece.segment(), base));
                    byte[] expected = Arrays.copyOfRange(cachedBytes, from, from + (int) piece.length());
                    byte[] actual = read(channel, piece.start(), expected.length);
                    int mismatch = Arrays.mismatch(expected, actual);
                    if (mismatch >= 0) {
                        fail(String.format("%s: segment %d differs at carveout offset 0x%x", carveout,
                                piece.segment().index(), piece.start() + mismatch));
                    }
                }
                cursor = piece.end();
            }
            assertSame(channel, cursor, size - cursor, before, "after the last segment");
        }
    }

    /** Carveout bytes {@code [start, end)} come from one segment: its file bytes, or its zero fill. */
    private record Piece(long start, long end, RawElf.Phdr segment, boolean zeroFill) {
        long length() {
            return end - start;
        }
    }

    /**
     * Which segment each carveout byte ends up from. The kernel copies segments in table order, each
     * with its zero fill, so where segments overlap (real images have zero-fill-only segments at one
     * address) the later one's bytes are what stays.
     */
    private TreeMap<Long, Piece> pieces(long base) {
        TreeMap<Long, Piece> pieces = new TreeMap<>();
        for (RawElf.Phdr p : loadable) {
            long at = offset(p, base);
            put(pieces, new Piece(at, at + p.filesz(), p, false));
            put(pieces, new Piece(at + p.filesz(), at + p.memsz(), p, true));
        }
        return pieces;
    }

    private static void put(TreeMap<Long, Piece> pieces, Piece piece) {
        if (piece.length() <= 0) {
            return;
        }
        Long key = pieces.floorKey(piece.start());
        List<Piece> covered = new ArrayList<>(
                pieces.subMap(key == null ? piece.start() : key, true, piece.end(), false).values());
        for (Piece old : covered) {
            if (old.end() <= piece.start()) {
                continue;
            }
            pieces.remove(old.start());
            if (old.start() < piece.start()) {
                pieces.put(old.start(), new Piece(old.start(), piece.start(), old.segment(), old.zeroFill()));
            }
            if (old.end() > piece.end()) {
                pieces.put(piece.end(), new Piece(piece.end(), old.end(), old.segment(), old.zeroFill()));
            }
        }
        pieces.put(piece.start(), piece);
    }

    /** Asserts that every byte of {@code file} is zero. */
    public static void assertAllZero(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ)) {
            assertSame(channel, 0, channel.size(), null, file.toString());
        }
    }

    /** Bytes {@code [from, from + length)} of the file are those of {@code expected} (null: zeros). */
    private static void assertSame(FileChannel channel, long from, long length, byte[] expected, String what)
            throws IOException {
        final int chunk = 1 << 20;
        for (long done = 0; done < length; done += chunk) {
            long at = from + done;
            byte[] bytes = read(channel, at, (int) Math.min(chunk, length - done));
            for (int i = 0; i < bytes.length; i++) {
                byte want = expected == null ? 0 : expected[(int) (at + i)];
                if (bytes[i] != want) {
                    fail(String.format("byte at offset 0x%x (%s) is 0x%02x, not 0x%02x", at + i, what, bytes[i], want));
                }
            }
        }
    }

    private static byte[] read(FileChannel channel, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                fail("file ends at " + (at + buffer.position()) + ", expected " + (at + length) + " bytes");
            }
        }
        return buffer.array();
    }
}
