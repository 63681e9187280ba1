package dev.mdtload.hostile;

import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.testing.FakeBoard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Builds the hostile inputs: images laid out as the samples are (firmware-samples/README.md:
 * headers, hash segment at 0x1000, then code = 2, data = 3, bss = 4), then bent one field at a
 * time; copies of the broken samples; and fingerprints of everything a run must leave alone.
 * Field offsets of patches are {@code <elf.h>}'s and mbn-hash-segment.md's, written out here.
 */
final class HostileImages {
    static final long ELF32_BASE = 0x4b00_0000L;
    static final long ELF64_BASE = 0x1_8000_0000L;
    static final int CODE = 2;
    static final int DATA = 3;
    static final int BSS = 4;
    /** Where ImageAssembler puts the hash segment: the first page after the headers. */
    static final long HASH_OFFSET = 0x1000;

    private HostileImages() {}

    /** The sample layout: 1500 bytes of code, 600 of data zero-filled to 0x800, 0x3000 of bss. */
    static ImageAssembler.Builder builder(ElfClass elfClass, int mbnVersion) {
        long base = elfClass == ElfClass.ELF32 ? ELF32_BASE : ELF64_BASE;
        Random random = new Random(mbnVersion * 100L + elfClass.bits());
        byte[] code = new byte[1500];
        byte[] data = new byte[600];
        random.nextBytes(code);
        random.nextBytes(data);
        return ImageAssembler.builder()
                .elfClass(elfClass)
                .machine(elfClass == ElfClass.ELF32 ? ElfWriter.EM_QDSP6 : ElfWriter.EM_AARCH64)
                .mbnVersion(mbnVersion)
                .hashAddress(base + 0x10_0000)
                .segments(List.of(
                        new LoadSegment(base, base, 0x5, code, 0x1000),
                        new LoadSegment(base + 0x1000, base + 0x1000, 0x6, data, 0x800),
                        LoadSegment.bss(base + 0x2000, base + 0x2000, 0x6, 0x3000)));
    }

    /** The sample layout with program header {@code index} rewritten (digests cover the rewritten headers). */
    static Assembled edited(ElfClass elfClass, int mbnVersion, int index, UnaryOperator<ProgramHeader> edit) {
        return builder(elfClass, mbnVersion).editProgramHeaders(phdrs -> {
            List<ProgramHeader> out = new ArrayList<>(phdrs);
            out.set(index, edit.apply(phdrs.get(index)));
            return out;
        }).build().assemble();
    }

    static ProgramHeader withOffset(ProgramHeader p, long offset) {
        return new ProgramHeader(p.index(), p.p_type(), p.p_flags(), offset, p.p_vaddr(), p.p_paddr(), p.p_filesz(),
                p.p_memsz(), p.p_align());
    }

    static ProgramHeader withPaddr(ProgramHeader p, long paddr) {
        return new ProgramHeader(p.index(), p.p_type(), p.p_flags(), p.p_offset(), p.p_vaddr(), paddr, p.p_filesz(),
                p.p_memsz(), p.p_align());
    }

    static ProgramHeader withFilesz(ProgramHeader p, long filesz) {
        return new ProgramHeader(p.index(), p.p_type(), p.p_flags(), p.p_offset(), p.p_vaddr(), p.p_paddr(), filesz,
                p.p_memsz(), p.p_align());
    }

    /**
     * One file holding every segment at its p_offset except those whose offset is far beyond any
     * file (a 4 GiB or 2^64 p_offset): the headers still claim them, the bytes are simply not there.
     */
    static Path squashedWithout(Assembled image, Path out, int omitted) throws IOException {
        List<ProgramHeader> phdrs = image.programHeaders();
        List<byte[]> parts = image.parts();
        long size = 0;
        for (ProgramHeader p : phdrs) {
            if (p.index() != omitted) {
                size = Math.max(size, p.p_offset() + parts.get(p.index()).length);
            }
        }
        byte[] file = new byte[Math.toIntExact(size)];
        for (ProgramHeader p : phdrs) {
            byte[] part = parts.get(p.index());
            if (p.index() != omitted) {
                System.arraycopy(part, 0, file, (int) p.p_offset(), part.length);
            }
        }
        Files.createDirectories(out.getParent());
        return Files.write(out, file);
    }

    /**
     * {@code phnum} program headers of which all but the first four are PT_NULL segments over
     * the same bytes (the headers, segment 0's), with a digest table of the matching size: small
     * on disk, but each of those segments would be hashed again if nothing stopped it.
     */
    static Path sameBytesManyTimes(Path out, int phnum) throws IOException {
        return overlappingRanges(out, phnum, 0);
    }

    /**
     * {@code phnum} headers: segment 2 is 64 KiB of code; headers 3.. are PT_NULL over 32 KiB of
     * its bytes, the i-th starting {@code step * (i - 3)} bytes in (step 0: all the same range,
     * hashed once; step 8: thousands of distinct ranges, more hashing than the bound allows).
     * Their digest entries are zero: hashing them would find mismatches.
     */
    static Path overlappingRanges(Path out, int phnum, int step) throws IOException {
        int size = 0x1_0000;
        List<LoadSegment> segments = new ArrayList<>();
        segments.add(new LoadSegment(ELF32_BASE, ELF32_BASE, 0x5, new byte[size], size));
        for (int i = 3; i < phnum; i++) {
            segments.add(LoadSegment.bss(0, 0, 0, 0));
        }
        long code = ImageAssembler.builder().elfClass(ElfClass.ELF32).machine(ElfWriter.EM_QDSP6).mbnVersion(3)
                .hashAddress(ELF32_BASE + 0x10_0000).segments(segments).build().assemble().programHeaders().get(2).p_offset();
        Assembled image = ImageAssembler.builder().elfClass(ElfClass.ELF32).machine(ElfWriter.EM_QDSP6)
                .mbnVersion(3).hashAddress(ELF32_BASE + 0x10_0000).segments(segments)
                .editProgramHeaders(phdrs -> {
                    List<ProgramHeader> edited = new ArrayList<>(phdrs);
                    for (int i = 3; i < phnum; i++) {
                        edited.set(i, new ProgramHeader(i, ProgramHeader.PT_NULL, 0, code + (long) step * (i - 3), 0, 0,
                                size / 2, 0, 0));
                    }
                    return edited;
                }).build().assemble();
        Files.createDirectories(out.getParent());
        image.writeSquashed(out);
        return out;
    }

    /** Overwrites {@code width} bytes at {@code at} with {@code value}, little-endian. */
    static void patch(Path file, long at, int width, long value) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).limit(width);
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
            f.write(bytes, at);
        }
    }

    /** A copy of the broken sample directory {@code rule} (links copied as links) under {@code dir}. */
    static Path sample(String rule, String image, Path dir) throws IOException {
        Path from = FakeBoard.SAMPLES.resolve("broken").resolve(rule);
        Path to = dir.resolve(rule);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), LinkOption.NOFOLLOW_LINKS);
            }
        }
        return to.resolve(image);
    }

    /** A copy of a valid sample (and, for a split one, its parts) in {@code dir}. */
    static Path valid(String image, Path dir) throws IOException {
        Files.createDirectories(dir);
        String base = image.substring(0, image.length() - 3);
        try (Stream<Path> list = Files.list(FakeBoard.SAMPLES.resolve("valid"))) {
            for (Path p : list.filter(p -> p.getFileName().toString().startsWith(base)).toList()) {
                Files.copy(p, dir.resolve(p.getFileName().toString()));
            }
        }
        return dir.resolve(image);
    }

    /**
     * The part of the fake board that rproc start reads and writes: its remote processors, the
     * firmware search path parameter and /lib/firmware (the device tree is left out: it is most of
     * the board's files and nothing here reads it).
     */
    static Path remoteprocRoot(Path dir) throws IOException {
        Path root = dir.resolve("root");
        for (String part : List.of("sys/class/remoteproc", "sys/module")) {
            FakeBoard.copyTree(FakeBoard.ROOT.resolve(part), root.resolve(part));
        }
        Files.createDirectories(root.resolve("lib/firmware"));
        return root;
    }

    static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
    }

    /**
     * Every path under each of {@code paths} (absent ones too), links as their targets, files as
     * SHA-256, anything else (a FIFO) by kind, so that nothing is read that could block.
     */
    static Map<String, String> fingerprint(List<Path> paths) {
        Map<String, String> all = new TreeMap<>();
        for (Path root : paths) {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                all.put(root.toString(), "absent");
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.toList()) {
                    all.put(p.toString(), describe(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    private static String describe(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return "link to " + Files.readSymbolicLink(p);
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "directory";
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return "special file";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
