package dev.mdtload.crypto;

import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageSegment;
import dev.mdtload.mbn.HashSegment;
import dev.mdtload.testing.Corpus;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestEngineTest {
    private static final DigestEngine OPENSSL = DigestEngine.Preferred.of(LibCrypto.SONAME);
    private static final DigestEngine JDK = new DigestEngine.Jdk();

    @TempDir
    Path dir;

    @Test
    void preferred_isLibcrypto_onAMachineWithOpenSsl3() {
        assertInstanceOf(DigestEngine.OpenSsl.class, DigestEngine.preferred());
    }

    @Test
    void theFallback_isTheJdk_whenLibcryptoIsMissing_andGivesTheSameDigests() {
        DigestEngine fallback = DigestEngine.Preferred.of("libmdtload-no-such-crypto.so.3");
        assertInstanceOf(DigestEngine.Jdk.class, fallback);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment abc = arena.allocateFrom("abc").asSlice(0, 3);
            assertEquals(LibCryptoTest.ABC_SHA256, HexFormat.of().formatHex(fallback.digest("SHA-256", abc)));
            assertEquals(LibCryptoTest.ABC_SHA384, HexFormat.of().formatHex(fallback.digest("SHA-384", abc)));
            assertEquals(LibCryptoTest.ABC_SHA384, HexFormat.of().formatHex(OPENSSL.digest("SHA-384", abc)));
        }
    }

    @Test
    void bothEngines_giveMessageDigestsResult_overSeveralStagingBuffers_onNativeAndHeapBytes() throws Exception {
        // not a multiple of the staging buffer, so the last copy is a short one
        byte[] bytes = new byte[(int) (3 * DigestEngine.Staging.SIZE + 4093)];
        new Random(12).nextBytes(bytes);
        for (String algorithm : List.of("SHA-256", "SHA-384")) {
            byte[] expected = MessageDigest.getInstance(algorithm).digest(bytes);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment nativeBytes = arena.allocate(bytes.length).copyFrom(MemorySegment.ofArray(bytes));
                for (DigestEngine engine : List.of(OPENSSL, JDK)) {
                    assertArrayEquals(expected, engine.digest(algorithm, nativeBytes), engine + " " + algorithm);
                    assertArrayEquals(expected, engine.digest(algorithm, MemorySegment.ofArray(bytes)), engine + " heap");
                }
            }
            byte[] empty = MessageDigest.getInstance(algorithm).digest();
            assertArrayEquals(empty, OPENSSL.digest(algorithm, MemorySegment.NULL));
            assertArrayEquals(empty, JDK.digest(algorithm, MemorySegment.NULL));
        }
    }

    /**
     * A mapped file cut short after it was mapped faults when read. Read by libcrypto itself, that
     * would kill the JVM; staged through Java's copy, it is an InternalError validate can report.
     */
    @Test
    void libcrypto_raisesAFaultAsInternalError_whenTheMappedFileIsCutShort() throws IOException {
        Path file = Files.write(dir.resolve("shrinking.bin"), new byte[1 << 20]);
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, 1 << 20, arena);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(0);
            }
            assertThrows(InternalError.class, () -> OPENSSL.digest("SHA-256", mapped));
        }
    }

    /** A region at an odd offset, over several buffers and a short last one, read from the file by pread. */
    @Test
    void bothEngines_giveMessageDigestsResult_overAFileRegion() throws Exception {
        byte[] bytes = new byte[(int) (3 * DigestEngine.Staging.SIZE + 8191)];
        new Random(13).nextBytes(bytes);
        Path file = Files.write(dir.resolve("region.bin"), bytes);
        int offset = 4097;
        int length = bytes.length - offset - 100;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (String algorithm : List.of("SHA-256", "SHA-384")) {
                MessageDigest md = MessageDigest.getInstance(algorithm);
                md.update(bytes, offset, length);
                byte[] expected = md.digest();
                for (DigestEngine engine : List.of(OPENSSL, JDK)) {
                    assertArrayEquals(expected, engine.digest(algorithm, new FileRegion(channel, offset, length)), engine + " " + algorithm);
                }
            }
        }
    }

    /** A file cut short after it was measured reads short: an EOFException, where a mapping of it would fault. */
    @Test
    void bothEngines_throwEof_whenTheFileIsCutShortUnderTheRegion() throws IOException {
        Path file = Files.write(dir.resolve("cut.bin"), new byte[1 << 20]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileRegion region = new FileRegion(channel, 4096, (1 << 20) - 4096);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(1 << 19);
            }
            for (DigestEngine engine : List.of(OPENSSL, JDK)) {
                EOFException e = assertThrows(EOFException.class, () -> engine.digest("SHA-256", region), engine.toString());
                assertTrue(e.getMessage().contains("ends at byte " + (1 << 19)), e.getMessage());
            }
        }
    }

    @Test
    void bothEngines_matchEveryDigestInTheHashTables_ofTheRealImages() throws IOException {
        int checked = assertEnginesAgree(RealImage.firmwareDirectory(), true);
        // q6_fw alone has 7 hashed segments; all six images together have more than 20
        assertTrue(checked > 20, "segments checked: " + checked);
    }

    @Tag("corpus")
    @Test
    void bothEngines_giveEqualDigests_onEveryCorpusImage() throws IOException {
        int checked = assertEnginesAgree(Corpus.root(), false);
        assertTrue(checked > 300, "segments checked: " + checked);
    }

    /**
     * For every image under {@code root} and every segment with file bytes, both engines give the
     * same digest in both algorithms; with {@code tablesValid}, the one the image's hash table holds.
     * Returns the number of segments checked.
     */
    private static int assertEnginesAgree(Path root, boolean tablesValid) throws IOException {
        int checked = 0;
        List<Path> images;
        try (Stream<Path> walk = Files.walk(root)) {
            images = walk.filter(p -> p.toString().endsWith(".mdt") || p.toString().endsWith(".mbn"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        for (Path path : images) {
            try (FirmwareImage image = FirmwareImage.open(path)) {
                HashSegment hash = image.hashSegment().orElse(null);
                for (ImageSegment s : image.segments()) {
                    if (!s.hasData() || s.phdr().p_filesz() == 0) {
                        continue;
                    }
                    FileRegion region = ((ImageSegment.Bytes.Read) s.bytes()).region();
                    for (String algorithm : List.of("SHA-256", "SHA-384")) {
                        byte[] mapped = JDK.digest(algorithm, s.data());
                        String what = path + " segment " + s.index() + " " + algorithm;
                        assertArrayEquals(mapped, OPENSSL.digest(algorithm, s.data()), what);
                        // the bytes read from the open file are the bytes the mapping shows
                        assertArrayEquals(mapped, OPENSSL.digest(algorithm, region), what + " read");
                        assertArrayEquals(mapped, JDK.digest(algorithm, region), what + " read by the JDK");
                    }
                    if (tablesValid && hash != null && !s.phdr().isHashSegment()) {
                        String algorithm = hash.algorithm().jcaName();
                        assertArrayEquals(hash.digest(s.index()), OPENSSL.digest(algorithm, s.data()),
                                path + " segment " + s.index());
                    }
                    checked++;
                }
            } catch (dev.mdtload.check.InvalidImageException unreadable) {
                // a corpus file that is not an image at all (its header is refused) has no segments to hash
            }
        }
        return checked;
    }
}
