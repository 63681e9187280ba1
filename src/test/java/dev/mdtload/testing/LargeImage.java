package dev.mdtload.testing;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A valid, unsigned split image of {@value #SEGMENTS} loadable segments of 50 MiB each (100 MiB of
 * file bytes, each segment with a 1 MiB zero-filled tail), fixed at {@link #PHYS}: a loader
 * running in 32 MiB of heap cannot hold the image, nor even one of its segments. Built by
 * ImageAssembler (the test JVM may use a big heap). {@code scripts/bench-load} runs {@link #main}.
 */
public final class LargeImage {
    public static final long PHYS = 0x8000_0000L;
    public static final int SEGMENTS = 2;
    public static final int SEGMENT_BYTES = 50 << 20;
    public static final long SEGMENT_MEMSZ = SEGMENT_BYTES + (1L << 20);
    /** The carveout it fills exactly: the segments are contiguous and page aligned. */
    public static final long LOAD_SIZE = SEGMENTS * SEGMENT_MEMSZ;
    /** PT_LOAD, readable and executable; no relocatable bit. */
    private static final long FLAGS = 5;

    private LargeImage() {}

    /** Writes {@code large.mdt} and its parts into {@code dir} and returns the {@code .mdt}. */
    public static Path write(Path dir) throws IOException, InvalidImageException {
        SplittableRandom random = new SplittableRandom(0x6d64746cL);
        List<LoadSegment> segments = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            byte[] data = new byte[SEGMENT_BYTES];
            random.nextBytes(data);
            long paddr = PHYS + i * SEGMENT_MEMSZ;
            segments.add(new LoadSegment(paddr, paddr, FLAGS, data, SEGMENT_MEMSZ));
        }
        Path mdt = Files.createDirectories(dir).resolve("large.mdt");
        ImageAssembler.builder()
                .elfClass(ElfClass.ELF32).machine(ElfWriter.EM_QDSP6).entry(PHYS)
                .mbnVersion(5).hashAddress(PHYS + LOAD_SIZE)
                .segments(segments)
                .build().assemble()
                .writeSplit(mdt);
        return mdt;
    }

    /** {@code LargeImage DIR}: writes the image into DIR, prints the {@code .mdt}'s path, then the carveout size. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LargeImage DIR");
            System.exit(2);
        }
        System.out.println(write(Path.of(args[0])));
        System.out.println(LOAD_SIZE);
    }
}
