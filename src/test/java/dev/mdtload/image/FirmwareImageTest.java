package dev.mdtload.image;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.testing.ElfBytes;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirmwareImageTest {

    /** Checks an opened image against the README: split or not, where each segment's bytes come from, and the bytes themselves. */
    static void assertMatchesReadme(RealImage image, FirmwareImage opened) throws IOException {
        assertEquals(image.split(), opened.split());
        assertEquals(image.phnum, opened.segments().size());
        assertEquals(java.util.List.of(), opened.violations());
        assertEquals(image.mbnVersion, opened.hashSegment().orElseThrow().version());
        for (RawElf.Phdr p : image.raw().phdrs()) {
            ImageSegment s = opened.segment(p.index());
            assertEquals(p.index(), s.index());
            assertTrue(s.hasData(), "segment " + p.index());
            if (p.filesz() == 0) {
                assertEquals(new ImageSegment.Bytes.None(), s.bytes(), "segment " + p.index() + " has no file bytes");
                assertEquals(0, s.data().byteSize());
                continue;
            }
            // the headers and the hash segment are read from the .mdt even in a split image (kernel-facts §4)
            String expectedSource = image.split() && p.index() >= 2
                    ? image.part(p.index()).getFileName().toString() : opened.path().getFileName().toString();
            assertEquals(expectedSource, s.sourceName(), "segment " + p.index());
            assertArrayEquals(image.segmentBytes(p.index()), s.data().toArray(ValueLayout.JAVA_BYTE),
                    "segment " + p.index());
        }
    }

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void open_resolvesEveryRealImageAsTheReadmeDescribesIt(RealImage image) throws Exception {
        try (FirmwareImage opened = FirmwareImage.open(image.path())) {
            assertMatchesReadme(image, opened);
            assertEquals(image.path(), opened.path());
        }
    }

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void open_worksOnJimfsWhereFilesCannotBeMapped(RealImage image) throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path copy = image.copyTo(fs.getPath("/lib/firmware/x"));
            try (FirmwareImage opened = FirmwareImage.open(copy)) {
                assertMatchesReadme(image, opened);
            }
        }
    }

    @Test
    void open_ofATextFileNamingAnImage_readsTheTextAsAnImageAndRefusesIt(@TempDir Path dir) throws Exception {
        // only real links are followed, as by the kernel, which fails on this file with -EINVAL
        RealImage.VENUS.copyTo(dir);
        Path text = Files.writeString(dir.resolve("venus.mdt"), "venus.mbn");
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> FirmwareImage.open(text));
        assertEquals("file-too-short", e.rule().id());
        assertEquals(text + ": file is 9 bytes, shorter than an ELF identification [file-too-short]", e.getMessage());
    }

    @Test
    void open_followsARealSymlinkFromMdtToMbn(@TempDir Path dir) throws Exception {
        Path mbn = RealImage.VENUS.copyTo(dir);
        Path mdt = Files.createSymbolicLink(dir.resolve("venus.mdt"), mbn.getFileName());
        try (FirmwareImage opened = FirmwareImage.open(mdt)) {
            assertFalse(opened.split());
            assertEquals(java.util.List.of(), opened.violations());
            assertArrayEquals(RealImage.VENUS.segmentBytes(3), opened.segment(3).data().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void metadata_isTheHeadersFollowedByTheHashSegment(RealImage image) throws Exception {
        RawElf raw = image.raw();
        byte[] headers = Arrays.copyOf(raw.bytes(), (int) raw.phdrs().getFirst().filesz());
        byte[] hash = image.segmentBytes(raw.hashPhdr().index());
        try (FirmwareImage opened = FirmwareImage.open(image.path()); Arena arena = Arena.ofConfined()) {
            MemorySegment blob = opened.metadata(arena);
            assertEquals(0, blob.address() % 4096, "the secure world needs a 4 KiB-aligned buffer");
            byte[] expected = Arrays.copyOf(headers, headers.length + hash.length);
            System.arraycopy(hash, 0, expected, headers.length, hash.length);
            assertArrayEquals(expected, blob.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void open_readsTheHashSegmentFromItsPartWhenTheMdtHoldsOnlyTheHeaders(@TempDir Path dir) throws Exception {
        // the kernel's third case in qcom_mdt_read_metadata(): hash beyond the loaded file -> .b01
        Path mdt = RealImage.WPSS.copyTo(dir);
        byte[] bytes = Files.readAllBytes(mdt);
        long headers = RealImage.WPSS.raw().phdrs().getFirst().filesz();
        Files.write(mdt, Arrays.copyOf(bytes, (int) headers));
        try (FirmwareImage opened = FirmwareImage.open(mdt)) {
            assertEquals(java.util.List.of(), opened.violations());
            assertEquals("wpss.b01", opened.segment(1).sourceName());
            assertEquals(6, opened.hashSegment().orElseThrow().version());
        }
    }

    @Test
    void open_prefersTheHashSegmentRightAfterTheHeadersAsTheKernelDoes(@TempDir Path dir) throws Exception {
        // A split .mdt that is exactly headers + hash segment, whose hash p_offset also lies inside
        // the file: qcom_mdt_read_metadata() checks "ehdr_size + hash_size == fw->size" first.
        int headers = 52 + 3 * 32;
        int hashSize = 40 + 3 * 32;
        byte[] part = "sixteen bytes ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] mdt = ElfBytes.elf32()
                .phdr(0, 7L << 24, 0, 0, headers, 0)
                .phdr(0, 2L << 24, 0x10, 0x9000_0000L, hashSize, 0x1000)
                .phdr(1, 5, 0x1000, 0x8000_0000L, part.length, 0x1000)
                .size(headers + hashSize).build();
        ByteBuffer hash = ByteBuffer.wrap(mdt, headers, hashSize).slice().order(ByteOrder.LITTLE_ENDIAN);
        hash.putInt(4, 3).putInt(20, 3 * 32);
        hash.put(40, RawElf.digest("SHA-256", Arrays.copyOf(mdt, headers)));
        hash.put(40 + 64, RawElf.digest("SHA-256", part));
        Files.write(dir.resolve("fw.mdt"), mdt);
        Files.write(dir.resolve("fw.b02"), part);

        ImageReport report = new Validator(false).validate(dir.resolve("fw.mdt"));
        assertEquals(java.util.List.of(), report.errors());
        assertTrue(report.split());
        assertEquals(3, report.mbnVersion());
    }

    @Test
    void open_reportsAMissingImageAsNoSuchFile(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> FirmwareImage.open(dir.resolve("absent.mdt")));
    }

    @Test
    void open_refusesADirectory(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectory(dir.resolve("fw.mdt"));
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> FirmwareImage.open(d));
        assertEquals(Rule.PART_NOT_REGULAR_FILE, e.rule());
        assertTrue(e.getMessage().contains(d.toString()), e::getMessage);
    }
}
