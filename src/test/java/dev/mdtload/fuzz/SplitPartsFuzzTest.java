package dev.mdtload.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.elf.Elf;
import dev.mdtload.files.FileTrees;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.Validator;
import dev.mdtload.mbn.PartName;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Target (b): the split-part resolver against a fuzzed file set on the real file system (tmpfs
 * where there is one), because symlink loops, directories and devices only behave as they do in
 * production there. The input decides how the {@code .mdt} is reached (file, symlink, a text file naming the image,
 * directory, dangling link), then what stands at each {@code .bNN} name, then the {@code .mdt}'s
 * bytes (the rest of the input). The only exception allowed besides a rule violation is
 * NoSuchFileException for an image whose own path dangles: that is the user's typo, not the image.
 */
class SplitPartsFuzzTest {
    /** Parts beyond the ninth are rare in real images; a dozen covers them and keeps an input cheap. */
    static final int MAX_PARTS = 12;
    /** Larger parts are written at this size (sparse), which is then a size mismatch: hashing stays cheap. */
    static final long MAX_PART_BYTES = 1 << 20;
    static final String IMAGE = "fw.mdt";

    enum ImageEntry { FILE, SYMLINK, TEXT_NAMING_IMAGE, DIRECTORY, DANGLING }

    enum PartEntry {
        ABSENT, EXACT, EXACT_OTHER_BYTES, ONE_SHORT, ONE_LONG, DIRECTORY, LINK_TO_NEXT_PART, LINK_TO_ITSELF,
        LINK_OUTSIDE, LINK_DANGLING, LINK_INTO_SUBDIRECTORY, LINK_TO_DEVICE, LINK_TO_DIRECTORY
    }

    private static final Path ROOT = createRoot();
    private static final AtomicLong CASES = new AtomicLong();
    private static final Validator VALIDATOR = new Validator(false);

    @FuzzTest
    void splitFileSet(FuzzedDataProvider data) throws IOException {
        ImageEntry imageEntry = ImageEntry.values()[data.consumeInt(0, ImageEntry.values().length - 1)];
        PartEntry[] parts = new PartEntry[MAX_PARTS];
        for (int i = 0; i < MAX_PARTS; i++) {
            parts[i] = PartEntry.values()[data.consumeInt(0, PartEntry.values().length - 1)];
        }
        byte[] mdt = data.consumeRemainingAsBytes();

        Path caseDir = ROOT.resolve(Long.toString(CASES.incrementAndGet()));
        try {
            Path dir = Files.createDirectories(caseDir.resolve("img"));
            Path image = dir.resolve(IMAGE);
            writeImage(image, imageEntry, mdt);
            List<ProgramHeader> phdrs = programHeaders(mdt);
            for (int i = 0; i < Math.min(MAX_PARTS, phdrs.size()); i++) {
                writePart(image, phdrs.get(i), parts[i], mdt);
            }
            requireVerdict(image, imageEntry);
        } finally {
            FileTrees.delete(caseDir);
        }
    }

    private static void requireVerdict(Path image, ImageEntry entry) throws IOException {
        try (FirmwareImage opened = FirmwareImage.open(image)) {
            Verdicts.requireConsistent(VALIDATOR.validate(opened));
        } catch (InvalidImageException e) {
            Verdicts.requireRuled(e);
        } catch (NoSuchFileException e) {
            if (entry != ImageEntry.DANGLING) {
                throw new AssertionError("NoSuchFileException for an image that exists: " + e.getMessage(), e);
            }
        }
    }

    private static void writeImage(Path image, ImageEntry entry, byte[] mdt) throws IOException {
        Path mbn = image.resolveSibling("fw.mbn");
        switch (entry) {
            case FILE -> Files.write(image, mdt);
            case SYMLINK -> {
                Files.write(mbn, mdt);
                Files.createSymbolicLink(image, mbn.getFileName());
            }
            case TEXT_NAMING_IMAGE -> {
                Files.write(mbn, mdt);
                Files.writeString(image, "fw.mbn\n");
            }
            case DIRECTORY -> Files.createDirectory(image);
            case DANGLING -> Files.createSymbolicLink(image, Path.of("no-such.mbn"));
        }
    }

    /** The headers as mdtload reads them, only to size the parts; none when they do not parse. */
    private static List<ProgramHeader> programHeaders(byte[] mdt) {
        try {
            return Elf.parse(MemorySegment.ofArray(mdt), IMAGE).phdrs();
        } catch (InvalidImageException notAnElf) {
            return List.of();
        }
    }

    private static void writePart(Path image, ProgramHeader p, PartEntry entry, byte[] mdt) throws IOException {
        Path part = PartName.of(image, p.index());
        long filesz = p.p_filesz() < 0 ? MAX_PART_BYTES : Math.min(p.p_filesz(), MAX_PART_BYTES);
        switch (entry) {
            case ABSENT -> { }
            case EXACT -> writeBytes(part, filesz, copyOf(mdt, p, filesz));
            case EXACT_OTHER_BYTES -> writeBytes(part, filesz, new byte[] {0x5a, (byte) 0xa5});
            case ONE_SHORT -> writeBytes(part, Math.max(filesz - 1, 1), copyOf(mdt, p, filesz));
            case ONE_LONG -> writeBytes(part, filesz + 1, copyOf(mdt, p, filesz));
            case DIRECTORY -> Files.createDirectory(part);
            case LINK_TO_NEXT_PART -> Files.createSymbolicLink(part, PartName.of(image, p.index() + 1).getFileName());
            case LINK_TO_ITSELF -> Files.createSymbolicLink(part, part.getFileName());
            case LINK_OUTSIDE -> {
                Path outside = image.getParent().resolveSibling("outside.b" + p.index());
                writeBytes(outside, filesz, copyOf(mdt, p, filesz));
                Files.createSymbolicLink(part, Path.of("..", outside.getFileName().toString()));
            }
            case LINK_DANGLING -> Files.createSymbolicLink(part, Path.of("gone.bin"));
            case LINK_INTO_SUBDIRECTORY -> {
                Path real = Files.createDirectories(image.resolveSibling("sub")).resolve(part.getFileName());
                writeBytes(real, filesz, copyOf(mdt, p, filesz));
                Files.createSymbolicLink(part, Path.of("sub", part.getFileName().toString()));
            }
            case LINK_TO_DEVICE -> Files.createSymbolicLink(part, Path.of("/dev/zero"));
            case LINK_TO_DIRECTORY -> Files.createSymbolicLink(part, Path.of("."));
        }
    }

    /** The segment's bytes where the .mdt holds them (segment 0 and the hash segment), so a part can agree with it. */
    private static byte[] copyOf(byte[] mdt, ProgramHeader p, long length) {
        long from = p.index() == 0 ? 0 : p.p_offset();
        if (p.isHashSegment() && (from < 0 || from > mdt.length - length)) {
            from = mdt.length - length; // right after the headers, as real split .mdt files hold it
        }
        if (from < 0 || from >= mdt.length) {
            return new byte[0];
        }
        return Arrays.copyOfRange(mdt, (int) from, (int) Math.min(mdt.length, from + length));
    }

    /** A file of {@code size} bytes starting with {@code head}; the rest is a hole (tmpfs keeps it sparse). */
    private static void writeBytes(Path file, long size, byte[] head) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(head, 0, (int) Math.min(head.length, size));
            f.setLength(size);
        }
    }

    private static Path createRoot() {
        try {
            Path shm = Path.of("/dev/shm");
            Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
            Path root = Files.createTempDirectory(base, "mdtload-fuzz-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException ignored) {
            // best effort at exit: a leftover temp directory is harmless
        }
    }
}
