package dev.mdtload.cli;

import dev.mdtload.check.Rule;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The mutation catalogue over the real images: every change to a real segment, part or header
 * must make {@code mdtload validate} exit 1 with one-line errors naming the file, the segment and
 * the rule. Each image is copied once per factory; each case mutates the copy and undoes it.
 */
class ValidateMutationTest {
    @TempDir
    Path tmp;

    private Path copy(RealImage image) {
        try {
            return image.copyTo(tmp.resolve(image.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RawElf raw(RealImage image) {
        try {
            return image.raw();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0xFF)).rewind();
            ch.write(b, offset);
        }
    }

    /** Flips the byte, runs the check, flips it back whatever happened. */
    private static Executable flipped(Path file, long offset, Executable check) {
        return () -> {
            flip(file, offset);
            try {
                check.execute();
            } finally {
                flip(file, offset);
            }
        };
    }

    /** Where segment {@code p}'s byte {@code at} lives in the copy: its part, or the single file. */
    private static Path fileOf(RealImage image, Path copy, RawElf.Phdr p) {
        return image.split() ? copy.resolveSibling(image.part(p.index()).getFileName()) : copy;
    }

    private static long offsetOf(RealImage image, RawElf.Phdr p, long at) {
        return image.split() ? at : p.offset() + at;
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsDigestMismatchForAFlippedByteOfALoadedSegment() {
        return Arrays.stream(RealImage.values()).flatMap(image -> {
            Path copy = copy(image);
            RawElf raw = raw(image);
            return raw.phdrs().stream()
                    .filter(p -> p.filesz() > 0 && p.index() > 0 && p.qcomType() != 2)
                    .flatMap(p -> Stream.of(0L, p.filesz() / 2, p.filesz() - 1).map(at -> {
                        Path file = fileOf(image, copy, p);
                        return dynamicTest(image + " segment " + p.index() + " byte " + at + " of " + file.getFileName(),
                                flipped(file, offsetOf(image, p, at),
                                        () -> CliRun.of("validate", copy).assertInvalid(copy, p.index(), Rule.DIGEST_MISMATCH)));
                    }));
        });
    }

    /** Bytes of the ELF header, then the low byte of every field of every program header. */
    private static List<Integer> headerBytes(RawElf raw) {
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < raw.ehsize(); i++) {
            offsets.add(i);
        }
        for (RawElf.Phdr p : raw.phdrs()) {
            for (int field = 0; field < 32; field += 4) {
                offsets.add(raw.phdrFieldOffset(p.index(), field));
            }
        }
        return offsets;
    }

    @TestFactory
    Stream<DynamicTest> validate_rejectsAnyFlippedByteOfTheHeaders() {
        return Arrays.stream(RealImage.values()).flatMap(image -> {
            Path copy = copy(image);
            return headerBytes(raw(image)).stream().map(at -> dynamicTest(image + " header byte " + at,
                    flipped(copy, at, () -> CliRun.of("validate", copy).assertInvalid(copy))));
        });
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsDigestMismatchOfSegment0ForHeaderBytesOnlyItsDigestCovers() {
        // e_ident padding, e_version, e_entry, e_flags: no structural rule reads them
        int[] offsets = {7, 8, 15, 20, 24, 27, 36, 39};
        return Arrays.stream(RealImage.values()).flatMap(image -> {
            Path copy = copy(image);
            return Arrays.stream(offsets).mapToObj(at -> dynamicTest(image + " header byte " + at,
                    flipped(copy, at, () -> CliRun.of("validate", copy).assertInvalid(copy, 0, Rule.DIGEST_MISMATCH))));
        });
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsTheSegmentWhoseDigestTableEntryWasFlipped() {
        return Arrays.stream(RealImage.values()).flatMap(image -> {
            Path copy = copy(image);
            RawElf raw = raw(image);
            byte[] hashBytes = segmentBytes(image, raw.hashPhdr().index());
            long hashAt = hashSegmentOffset(image, raw);
            int length = image.digestAlgorithm.equals("SHA-384") ? 48 : 32;
            return raw.phdrs().stream().map(p -> {
                long at = hashAt + RawElf.digestTableOffset(hashBytes) + (long) p.index() * length + length / 2;
                // an entry with no bytes behind it is never compared by the secure world: a warning
                Executable check = p.isHash() || p.filesz() == 0
                        ? () -> CliRun.of("validate", copy).assertValidWithWarning(copy, p.index(), Rule.DIGEST_NOT_ZERO)
                        : () -> CliRun.of("validate", copy).assertInvalid(copy, p.index(), Rule.DIGEST_MISMATCH);
                return dynamicTest(image + " digest entry " + p.index(), flipped(copy, at, check));
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> validate_rejectsAnUnknownHashSegmentVersion() {
        return Arrays.stream(RealImage.values()).map(image -> {
            Path copy = copy(image);
            RawElf raw = raw(image);
            int hash = raw.hashPhdr().index();
            return dynamicTest(image.toString(), flipped(copy, hashSegmentOffset(image, raw) + 4,
                    () -> CliRun.of("validate", copy).assertInvalid(copy, hash, Rule.HASH_VERSION_UNSUPPORTED)));
        });
    }

    /** Where the hash segment is in the image file: right after the headers in a split .mdt, else at p_offset (README). */
    private static long hashSegmentOffset(RealImage image, RawElf raw) {
        return image.split() ? raw.phdrs().getFirst().filesz() : raw.hashPhdr().offset();
    }

    private static byte[] segmentBytes(RealImage image, int index) {
        try {
            return image.segmentBytes(index);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<RealImage> splitImages() {
        return Arrays.stream(RealImage.values()).filter(RealImage::split);
    }

    @TestFactory
    Stream<DynamicTest> validate_warnsPartDiffersForAFlippedByteOfAMetadataPart() {
        // .b00 and .b01 duplicate the headers and hash segment the .mdt carries (README); the kernel
        // reads both from the .mdt only, so the image still loads: a warning, not an error
        return splitImages().flatMap(image -> {
            Path copy = copy(image);
            return Stream.of(0, 1).flatMap(index -> {
                Path part = copy.resolveSibling(image.part(index).getFileName());
                long size = segmentBytes(image, index).length;
                return Stream.of(0L, size / 2, size - 1).map(at -> dynamicTest(part.getFileName() + " byte " + at,
                        flipped(part, at, () -> CliRun.of("validate", copy).assertValidWithWarning(copy, index, Rule.PART_DIFFERS))));
            });
        });
    }

    /** Replaces a part by something else for one check, then puts the original bytes back. */
    private interface Replacement {
        void apply(Path part, byte[] original) throws IOException;
    }

    private static Executable replaced(Path part, Replacement replacement, Executable check) {
        return () -> {
            byte[] original = Files.readAllBytes(part);
            Files.delete(part);
            replacement.apply(part, original);
            try {
                check.execute();
            } finally {
                Files.deleteIfExists(part); // the file, the empty directory or the link itself
                Files.write(part, original);
            }
        };
    }

    private Stream<DynamicTest> everyPart(String what, Replacement replacement, Rule rule) {
        return everyPart(what, (image, index) -> true, replacement, rule);
    }

    private Stream<DynamicTest> everyPart(String what, BiPredicate<RealImage, Integer> which,
                                          Replacement replacement, Rule rule) {
        return splitImages().flatMap(image -> {
            Path copy = copy(image);
            return image.parts.stream().filter(index -> which.test(image, index)).map(index -> {
                Path part = copy.resolveSibling(image.part(index).getFileName());
                return dynamicTest(part.getFileName() + " " + what, replaced(part, replacement,
                        () -> CliRun.of("validate", copy).assertInvalid(copy, index, rule)));
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsPartSizeMismatchForAPartCutShort() {
        // wpss.b08 is empty (README): nothing to cut
        return everyPart("cut by one byte", (image, index) -> segmentBytes(image, index).length > 0,
                (p, b) -> Files.write(p, Arrays.copyOf(b, b.length - 1)), Rule.PART_SIZE_MISMATCH);
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsPartSizeMismatchForAPartOneByteLonger() {
        return everyPart("one byte longer", (p, b) -> Files.write(p, Arrays.copyOf(b, b.length + 1)),
                Rule.PART_SIZE_MISMATCH);
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsPartNotRegularFileForADirectory() {
        return everyPart("replaced by a directory", (p, b) -> Files.createDirectory(p), Rule.PART_NOT_REGULAR_FILE);
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsPartUnreadableForASymlinkLoop() {
        return everyPart("replaced by a symlink to itself",
                (p, b) -> Files.createSymbolicLink(p, p.getFileName()), Rule.PART_UNREADABLE);
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsPartUnreadableForADanglingSymlink() {
        return splitImages().flatMap(image -> {
            Path copy = copy(image);
            return image.parts.stream().map(index -> {
                Path part = copy.resolveSibling(image.part(index).getFileName());
                return dynamicTest(part.getFileName() + " replaced by a dangling symlink",
                        replaced(part, (p, b) -> Files.createSymbolicLink(p, Path.of("gone")), () -> {
                            CliRun r = CliRun.of("validate", copy);
                            r.assertInvalid(copy, index, Rule.PART_UNREADABLE);
                            assertTrue(r.err().contains(part.getFileName() + " is a dangling link"), r.err());
                        }));
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsPartOutsideDirectoryForASymlinkOut() {
        // even a link to identical bytes is refused: parts must live beside their image
        return everyPart("replaced by a symlink to a copy outside", (p, b) -> {
            Path outside = p.getParent().resolveSibling("outside-" + p.getParent().getFileName());
            Files.createDirectories(outside);
            Path target = Files.write(outside.resolve(p.getFileName()), b);
            Files.createSymbolicLink(p, target);
        }, Rule.PART_OUTSIDE_DIRECTORY);
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsPartMissingForADeletedPartOfALoadedSegment() {
        return splitImages().flatMap(image -> {
            Path copy = copy(image);
            RawElf raw = raw(image);
            return raw.phdrs().stream().filter(p -> p.index() >= 2 && p.filesz() > 0).map(p -> {
                Path part = copy.resolveSibling(image.part(p.index()).getFileName());
                return dynamicTest(part.getFileName() + " deleted", replaced(part, (f, b) -> { },
                        () -> CliRun.of("validate", copy).assertInvalid(copy, p.index(), Rule.PART_MISSING)));
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> validate_acceptsASplitImageWithoutPartsItDoesNotNeed() {
        // the kernel reads the headers and hash segment from the .mdt, and nothing for p_filesz 0:
        // .b00, .b01 and the empty wpss.b08 may be absent
        return splitImages().flatMap(image -> {
            Path copy = copy(image);
            RawElf raw = raw(image);
            return image.parts.stream()
                    .filter(i -> i < 2 || raw.phdrs().get(i).filesz() == 0)
                    .map(index -> {
                        Path part = copy.resolveSibling(image.part(index).getFileName());
                        return dynamicTest(part.getFileName() + " deleted", replaced(part, (f, b) -> { },
                                () -> CliRun.of("validate", copy).assertValid()));
                    });
        });
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsPartSizeMismatchForBytesInAPartOfAnEmptySegment() {
        // q6_fw segment 6 has p_filesz 0 and no .b06 (README): a .b06 with bytes contradicts it
        Path copy = copy(RealImage.Q6_FW);
        Path b06 = copy.resolveSibling("q6_fw.b06");
        return Stream.of(dynamicTest("q6_fw.b06 with one byte", () -> {
            Files.write(b06, new byte[1]);
            try {
                CliRun.of("validate", copy).assertInvalid(copy, 6, Rule.PART_SIZE_MISMATCH);
            } finally {
                Files.delete(b06);
            }
        }));
    }

    /** Every segment with file bytes that reaches past {@code length} (README: the kernel's truncation rule). */
    private static Set<Integer> truncatedBy(RawElf raw, long length) {
        Set<Integer> cut = new TreeSet<>();
        raw.phdrs().stream().filter(p -> p.filesz() > 0 && p.end() > length).forEach(p -> cut.add(p.index()));
        return cut;
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsSegmentTruncatedForASingleFileCutShort() {
        return Arrays.stream(RealImage.values()).filter(i -> !i.split()).flatMap(image -> {
            Path copy = copy(image);
            RawElf raw = raw(image);
            long end = raw.phdrs().stream().mapToLong(RawElf.Phdr::end).max().orElseThrow();
            Stream<Long> cuts = Stream.concat(Stream.of(end - 1),
                    raw.phdrs().stream().filter(p -> p.index() > 0 && p.filesz() > 0).map(p -> p.offset() + p.filesz() / 2));
            return cuts.map(length -> dynamicTest(image + " cut to " + length + " bytes",
                    cutTo(copy, length, () -> {
                        CliRun r = CliRun.of("validate", copy);
                        Set<Integer> expected = truncatedBy(raw, length);
                        for (int segment : expected) {
                            r.assertInvalid(copy, segment, Rule.SEGMENT_TRUNCATED);
                        }
                        assertEquals(expected.size(), r.errLines().size(), r.err());
                    })));
        });
    }

    @TestFactory
    Stream<DynamicTest> validate_reportsHeaderRulesForAFileCutInsideItsHeaders() {
        return Arrays.stream(RealImage.values()).flatMap(image -> {
            Path copy = copy(image);
            RawElf raw = raw(image);
            long phdrsEnd = raw.phoff() + 32L * raw.phdrs().size();
            return Stream.of(
                    dynamicTest(image + " cut to 0 bytes", cutTo(copy, 0, () -> assertHeaderRule(copy, Rule.FILE_TOO_SHORT))),
                    dynamicTest(image + " cut to 10 bytes", cutTo(copy, 10, () -> assertHeaderRule(copy, Rule.FILE_TOO_SHORT))),
                    dynamicTest(image + " cut to 51 bytes", cutTo(copy, 51, () -> assertHeaderRule(copy, Rule.FILE_TOO_SHORT))),
                    dynamicTest(image + " cut inside the program headers", cutTo(copy, phdrsEnd - 1,
                            () -> assertHeaderRule(copy, Rule.PHDRS_OUT_OF_BOUNDS))));
        });
    }

    private static void assertHeaderRule(Path copy, Rule rule) {
        CliRun r = CliRun.of("validate", copy);
        r.assertInvalid(copy);
        // a header rule stops the parse: one line, about the whole file
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().strip().endsWith("[" + rule.id() + "]"), r.err());
    }

    private static Executable cutTo(Path file, long length, Executable check) {
        return () -> {
            byte[] original = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(original, (int) length));
            try {
                check.execute();
            } finally {
                Files.write(file, original);
            }
        };
    }
}
