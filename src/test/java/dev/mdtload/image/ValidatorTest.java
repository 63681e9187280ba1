package dev.mdtload.image;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.testing.ElfBytes;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidatorTest {

    /** The report's facts against the README; digest statuses from the README's rules for each entry. */
    static void assertValidAsReadmeSays(RealImage image, ImageReport r) throws Exception {
        assertEquals(List.of(), r.errors());
        assertTrue(r.valid());
        assertEquals(32, r.elfClass());
        assertEquals(image.phnum, r.phnum());
        assertEquals(image.split(), r.split());
        assertEquals(image.mbnVersion, r.mbnVersion());
        assertEquals(image.digestAlgorithm, r.digestAlgorithm());
        assertEquals(image.span, r.span());
        assertEquals(image.loadSize, r.loadSize());
        assertEquals(image.minAddress, r.minAddress());
        assertEquals(image.relocatable, r.relocatable());
        assertEquals(image.signatureSize, r.signatureSize());
        assertEquals(image.certChainSize, r.certChainSize());
        assertEquals(image.phnum, r.segments().size());
        for (RawElf.Phdr p : image.raw().phdrs()) {
            DigestStatus expected = p.isHash() || p.filesz() == 0 ? DigestStatus.ZERO : DigestStatus.OK;
            assertEquals(expected, r.segments().get(p.index()).digest(), "segment " + p.index());
        }
    }

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void validate_acceptsEveryRealImageWithTheReadmeFacts(RealImage image) throws Exception {
        assertValidAsReadmeSays(image, new Validator(false).validate(image.path()));
    }

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void validate_worksOnJimfs(RealImage image) throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path copy = image.copyTo(fs.getPath("/firmware"));
            ImageReport r = new Validator(false).validate(copy);
            assertValidAsReadmeSays(image, r);
            assertEquals("/firmware/" + image.fileName(), r.path());
        }
    }

    @Test
    void validate_findsAFlippedByteOnJimfs() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path copy = RealImage.M3_FW.copyTo(fs.getPath("/firmware"));
            Path part = copy.resolveSibling("m3_fw.b02");
            byte[] bytes = Files.readAllBytes(part);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(part, bytes);
            ImageReport r = new Validator(false).validate(copy);
            assertEquals(List.of(Rule.DIGEST_MISMATCH), r.errors().stream().map(Violation::rule).toList());
            assertEquals(2, r.errors().getFirst().segment());
            assertEquals(DigestStatus.MISMATCH, r.segments().get(2).digest());
        }
    }

    /** A plain ELF32: headers and one PT_LOAD segment of 16 bytes, no hash segment. */
    private static Path plainElf(Path dir) throws Exception {
        byte[] elf = ElfBytes.elf32()
                .phdr(1, 5, 0x100, 0x8000_0000L, 16, 0x1000)
                .payload(0x100, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}).build();
        return Files.write(dir.resolve("plain.mbn"), elf);
    }

    @Test
    void validate_rejectsAnImageWithoutHashSegmentByDefault(@TempDir Path dir) throws Exception {
        ImageReport r = new Validator(false).validate(plainElf(dir));
        assertFalse(r.valid());
        assertEquals(List.of(Rule.HASH_SEGMENT_MISSING), r.errors().stream().map(Violation::rule).toList());
        assertTrue(r.errors().getFirst().message().contains("--allow-unsigned"));
    }

    @Test
    void validate_acceptsAPlainElfWhenAllowedUnsigned(@TempDir Path dir) throws Exception {
        ImageReport r = new Validator(true).validate(plainElf(dir));
        assertEquals(List.of(), r.errors());
        assertNull(r.mbnVersion());
        assertNull(r.digestAlgorithm());
        assertEquals(0x1000, r.loadSize());
        assertEquals(List.of(DigestStatus.MISSING), r.segments().stream().map(ImageReport.Segment::digest).toList());
    }

    @Test
    void validate_reportsABrokenHeaderAsAnInvalidReport(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("x.mbn"), new byte[] {0x7f, 'E', 'L', 'F'});
        ImageReport r = new Validator(false).validate(f);
        assertFalse(r.valid());
        assertNull(r.segments());
        assertEquals(List.of(Rule.FILE_TOO_SHORT), r.errors().stream().map(Violation::rule).toList());
    }

    /** Q6 segment 6 has p_filesz 0; its hash table entry is at this offset in the hash segment. */
    private static void rewriteQ6Entry(Path mdt, int index, byte[] entry) throws Exception {
        RawElf raw = RawElf.read(mdt);
        int hashAt = (int) raw.phdrs().getFirst().filesz();
        byte[] hash = Files.readAllBytes(mdt.resolveSibling("q6_fw.b01"));
        int at = RawElf.digestTableOffset(hash) + index * entry.length;
        System.arraycopy(entry, 0, hash, at, entry.length);
        Files.write(mdt.resolveSibling("q6_fw.b01"), hash);
        byte[] bytes = raw.bytes().clone();
        System.arraycopy(entry, 0, bytes, hashAt + at, entry.length);
        Files.write(mdt, bytes);
    }

    @Test
    void validate_acceptsTheDigestOfNothingForASegmentWithoutFileBytes(@TempDir Path dir) throws Exception {
        // mbn-hash-segment.md: some tools hash the empty string instead of writing zeros; accept both, report which
        Path mdt = RealImage.Q6_FW.copyTo(dir);
        rewriteQ6Entry(mdt, 6, RawElf.digest("SHA-256", new byte[0]));
        ImageReport r = new Validator(false).validate(mdt);
        assertEquals(List.of(), r.errors());
        assertEquals(DigestStatus.OK, r.segments().get(6).digest());
    }

    @Test
    void validate_warnsOfAnyOtherDigestForASegmentWithoutFileBytesAndStrictRefusesIt(@TempDir Path dir) throws Exception {
        Path mdt = RealImage.Q6_FW.copyTo(dir);
        byte[] entry = new byte[32];
        entry[31] = 1;
        rewriteQ6Entry(mdt, 6, entry);
        ImageReport r = new Validator(false).validate(mdt);
        assertTrue(r.valid(), r.errors()::toString);
        assertEquals(List.of(Rule.DIGEST_NOT_ZERO), r.warnings().stream().map(Violation::rule).toList());
        assertEquals(6, r.warnings().getFirst().segment());
        ImageReport strict = new Validator(false, true).validate(mdt);
        assertFalse(strict.valid());
        assertEquals(r.warnings(), strict.errors());
        assertEquals(List.of(), strict.warnings());
    }

    @Test
    void validate_warnsOfANonZeroEntryForTheHashSegmentItself(@TempDir Path dir) throws Exception {
        Path mdt = RealImage.Q6_FW.copyTo(dir);
        byte[] entry = new byte[32];
        entry[0] = 1;
        rewriteQ6Entry(mdt, 1, entry);
        ImageReport r = new Validator(false).validate(mdt);
        assertEquals(List.of(), r.errors());
        assertEquals(List.of(Rule.DIGEST_NOT_ZERO), r.warnings().stream().map(Violation::rule).toList());
        assertEquals(1, r.warnings().getFirst().segment());
        assertEquals(DigestStatus.MISMATCH, r.segments().get(1).digest());
    }

    @Test
    void validate_stillChecksTheSegmentsACutSingleFileHolds(@TempDir Path dir) throws Exception {
        Path mbn = RealImage.VENUS.copyTo(dir);
        RawElf raw = RawElf.read(mbn);
        byte[] bytes = Arrays.copyOf(raw.bytes(), raw.bytes().length - 1);
        bytes[(int) raw.phdrs().get(2).offset()] ^= 1;
        Files.write(mbn, bytes);
        ImageReport r = new Validator(false).validate(mbn);
        // only the last segment runs past the cut; segment 2 is still there, and wrong
        assertEquals(List.of("2 digest-mismatch", "4 segment-truncated"), r.errors().stream()
                .map(v -> v.segment() + " " + v.rule().id()).sorted().toList());
        assertEquals(DigestStatus.OK, r.segments().get(3).digest());
        assertEquals(DigestStatus.MISSING, r.segments().get(4).digest());
    }

    @Test
    void requireValid_throwsWithEveryViolation(@TempDir Path dir) throws Exception {
        Path mdt = RealImage.WPSS.copyTo(dir);
        Files.delete(dir.resolve("wpss.b04"));
        Files.delete(dir.resolve("wpss.b07"));
        try (FirmwareImage image = FirmwareImage.open(mdt)) {
            InvalidImageException e = assertThrows(InvalidImageException.class, () -> new Validator(false).requireValid(image));
            assertEquals(List.of(4, 7), e.violations().stream().map(Violation::segment).toList());
            assertEquals(Rule.PART_MISSING, e.rule());
        }
    }
}
