package dev.mdtload.posix;

import dev.mdtload.failure.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every binding called for real. Expected errno texts are glibc's (strerror(3)), and flag values
 * are checked against what the kernel itself reports in /proc/self/fdinfo and /proc/self/maps.
 */
class LibcTest {
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    @Test
    void openFtruncateMmapMsyncMunmapClose_writeRealBytesToAFile() throws Exception {
        Path file = dir.resolve("mapped.bin");
        byte[] expected = new byte[2 * PAGE];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i * 7 + 3);
        }
        long address;
        try (Fd fd = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0600)) {
            Libc.ftruncate(fd, expected.length);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment mapped = Libc.mmap(fd, expected.length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, 0, arena);
                assertEquals(expected.length, mapped.byteSize());
                address = mapped.address();
                assertEquals(Optional.of("rw-s"), mappingPermissions(address, file), "PROT_READ|PROT_WRITE, MAP_SHARED");
                MemorySegment.copy(expected, 0, mapped, JAVA_BYTE, 0, expected.length);
                Libc.msync(mapped, Libc.MS_SYNC);
            }
            assertEquals(Optional.empty(), mappingPermissions(address, file), "closing the arena unmaps the pages");
            Libc.fsync(fd);
        }
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void mmap_ofAnOffsetSeesTheFileFromThatOffset() throws Exception {
        Path file = dir.resolve("offset.bin");
        byte[] content = new byte[3 * PAGE];
        content[2 * PAGE] = 0x5a;
        Files.write(file, content);
        try (Fd fd = Libc.open(file, Libc.O_RDWR, 0); Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = Libc.mmap(fd, PAGE, Libc.PROT_READ, Libc.MAP_SHARED, 2 * PAGE, arena);
            assertEquals(0x5a, mapped.get(JAVA_BYTE, 0));
        }
    }

    @Test
    void open_setsExactlyTheRequestedFlags_asTheKernelReportsThem() throws Exception {
        Path file = Files.createFile(dir.resolve("flags.bin"));
        int wanted = Libc.O_RDWR | Libc.O_SYNC | Libc.O_CLOEXEC;
        try (Fd fd = Libc.open(file, wanted, 0)) {
            int flags = fdinfoFlags(fd);
            assertEquals(wanted, flags & wanted, () -> "fdinfo flags 0" + Integer.toOctalString(flags));
        }
    }

    @Test
    void open_createsWithOCreatAndRefusesAnExistingFileWithOExcl() throws Exception {
        Path file = dir.resolve("new.bin");
        try (Fd _ = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL, 0600)) {
            assertTrue(Files.exists(file));
        }
        PosixException e = assertThrows(PosixException.class,
                () -> Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL, 0600));
        assertEquals("open(" + file + ") failed: EEXIST (File exists)", e.getMessage());
    }

    @Test
    void open_missingFile_failsWithEnoentAndTheExactMessage() {
        Path missing = dir.resolve("missing");
        PosixException e = assertThrows(PosixException.class, () -> Libc.open(missing, Libc.O_RDWR, 0));
        assertEquals("open(" + missing + ") failed: ENOENT (No such file or directory)", e.getMessage());
        assertEquals(2, e.errno());
        assertEquals("ENOENT", e.ruleId(), "the errno names the failure in reports");
        assertEquals(Kind.ENVIRONMENT, e.kind());
        assertTrue(e.is(Errno.ENOENT));
    }

    @Test
    void open_directoryFlagOnARegularFile_failsWithEnotdir_evenForRoot() throws Exception {
        Path file = Files.createFile(dir.resolve("plain"));
        PosixException e = assertThrows(PosixException.class,
                () -> Libc.open(file, Libc.O_RDONLY | Libc.O_DIRECTORY, 0));
        assertEquals("open(" + file + ") failed: ENOTDIR (Not a directory)", e.getMessage());
    }

    @Test
    void open_forWritingAReadOnlySysfsAttribute_failsWithEacces_evenForRoot() {
        // kernfs refuses write opens of attributes without a store method whoever asks.
        Path attribute = Path.of("/sys/devices/system/cpu/possible");
        assumeTrue(Files.exists(attribute), "needs sysfs");
        PosixException e = assertThrows(PosixException.class, () -> Libc.open(attribute, 01 /* O_WRONLY */, 0));
        assumeTrue(!e.is(Errno.EROFS), "sysfs is mounted read-only here");
        assertEquals("open(/sys/devices/system/cpu/possible) failed: EACCES (Permission denied)", e.getMessage());
    }

    @Test
    void memfdCreate_givesAnAnonymousFileOthersCanOpenThroughProc() throws Exception {
        byte[] expected = "written through the mapping".getBytes(StandardCharsets.US_ASCII);
        try (Fd fd = Libc.memfdCreate("libc-test", Libc.MFD_CLOEXEC); Arena arena = Arena.ofConfined()) {
            assertEquals(Path.of("memfd:libc-test"), fd.path());
            assertEquals("/memfd:libc-test (deleted)", Files.readSymbolicLink(fd.procPath()).toString());
            assertEquals(Libc.O_CLOEXEC, fdinfoFlags(fd) & Libc.O_CLOEXEC, "MFD_CLOEXEC sets close-on-exec");
            Libc.ftruncate(fd, PAGE);
            MemorySegment mapped = Libc.mmap(fd, PAGE, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, 0, arena);
            MemorySegment.copy(expected, 0, mapped, JAVA_BYTE, 0, expected.length);
            byte[] seen = Files.readAllBytes(fd.procPath());
            assertEquals(PAGE, seen.length);
            assertArrayEquals(expected, Arrays.copyOf(seen, expected.length));
        }
    }

    @Test
    void memfdCreate_withATooLongName_failsWithEinval() {
        String name = "m".repeat(300);
        PosixException e = assertThrows(PosixException.class, () -> Libc.memfdCreate(name, 0));
        assertEquals("memfd_create(memfd:" + name + ") failed: EINVAL (Invalid argument)", e.getMessage());
    }

    @Test
    void flock_refusesASecondExclusiveLockOnTheSameFile_untilTheFirstIsReleased() throws Exception {
        Path file = Files.createFile(dir.resolve("lock"));
        try (Fd first = Libc.open(file, Libc.O_RDWR, 0); Fd second = Libc.open(file, Libc.O_RDWR, 0)) {
            Libc.flock(first, Libc.LOCK_EX | Libc.LOCK_NB);
            PosixException e = assertThrows(PosixException.class, () -> Libc.flock(second, Libc.LOCK_EX | Libc.LOCK_NB));
            assertEquals("flock(" + file + ") failed: EWOULDBLOCK (Resource temporarily unavailable)", e.getMessage());
            Libc.flock(first, Libc.LOCK_UN);
            Libc.flock(second, Libc.LOCK_EX | Libc.LOCK_NB);
        }
    }

    @Test
    void flock_releasesTheLockWhenTheFdCloses() throws Exception {
        Path file = Files.createFile(dir.resolve("lock"));
        try (Fd first = Libc.open(file, Libc.O_RDWR, 0)) {
            Libc.flock(first, Libc.LOCK_EX | Libc.LOCK_NB);
        }
        try (Fd second = Libc.open(file, Libc.O_RDWR, 0)) {
            Libc.flock(second, Libc.LOCK_EX | Libc.LOCK_NB);
        }
    }

    @Test
    void ioctl_onARegularFile_failsWithEnotty() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-tty"));
        long tcgets = 0x5401; // a terminal ioctl that every regular file refuses
        try (Fd fd = Libc.open(file, Libc.O_RDONLY, 0); Arena arena = Arena.ofConfined()) {
            MemorySegment termios = arena.allocate(64);
            PosixException e = assertThrows(PosixException.class, () -> Libc.ioctl(fd, tcgets, termios));
            assertEquals("ioctl(" + file + ") failed: ENOTTY (Inappropriate ioctl for device)", e.getMessage());
        }
    }

    @Test
    void ioctl_returnsTheCallsResult() throws Exception {
        // FIONREAD on a regular file stores the bytes left to read and returns 0.
        Path file = dir.resolve("data");
        Files.write(file, new byte[1234]);
        long fionread = 0x541B;
        try (Fd fd = Libc.open(file, Libc.O_RDONLY, 0); Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            assertEquals(0, Libc.ioctl(fd, fionread, count));
            assertEquals(1234, count.get(JAVA_INT, 0));
        }
    }

    @Test
    void mmap_ofZeroBytes_failsWithEinvalNamingTheFile() throws Exception {
        Path file = Files.createFile(dir.resolve("empty"));
        try (Fd fd = Libc.open(file, Libc.O_RDWR, 0); Arena arena = Arena.ofConfined()) {
            PosixException e = assertThrows(PosixException.class,
                    () -> Libc.mmap(fd, 0, Libc.PROT_READ, Libc.MAP_SHARED, 0, arena));
            assertEquals("mmap(" + file + ") failed: EINVAL (Invalid argument)", e.getMessage());
        }
    }

    @Test
    void munmapAndMsync_ofAnUnalignedAddress_failWithEinval() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment unaligned = arena.allocate(2 * PAGE, PAGE).asSlice(1, PAGE);
            PosixException munmap = assertThrows(PosixException.class, () -> Libc.munmap(unaligned, PAGE));
            assertEquals("munmap failed: EINVAL (Invalid argument)", munmap.getMessage());
            PosixException msync = assertThrows(PosixException.class, () -> Libc.msync(unaligned, Libc.MS_SYNC));
            assertEquals("msync failed: EINVAL (Invalid argument)", msync.getMessage());
        }
    }

    @Test
    void ftruncateAndFsync_reportTheirFailures() throws Exception {
        Path file = Files.createFile(dir.resolve("read-only"));
        try (Fd fd = Libc.open(file, Libc.O_RDONLY, 0)) {
            // Linux answers EINVAL, not EBADF, for a file not open for writing.
            PosixException truncate = assertThrows(PosixException.class, () -> Libc.ftruncate(fd, PAGE));
            assertEquals("ftruncate(" + file + ") failed: EINVAL (Invalid argument)", truncate.getMessage());
        }
        PosixException fsync = assertThrows(PosixException.class, () -> Libc.fsync(Fd.adopt(987654, Path.of("nowhere"))));
        assertEquals("fsync(nowhere) failed: EBADF (Bad file descriptor)", fsync.getMessage());
    }

    @Test
    void close_ofAnFdThatIsNotOpen_failsWithEbadf() {
        PosixException e = assertThrows(PosixException.class, () -> Libc.close(987654, Path.of("nowhere")));
        assertEquals("close(nowhere) failed: EBADF (Bad file descriptor)", e.getMessage());
    }

    @Test
    void fd_closesOnceAndRefusesUseAfterClose() throws Exception {
        Path file = Files.createFile(dir.resolve("once"));
        Fd fd = Libc.open(file, Libc.O_RDONLY, 0);
        Path proc = fd.procPath();
        fd.close();
        fd.close();
        // The number may already serve another file, but no longer this one.
        assertFalse(Files.exists(proc, LinkOption.NOFOLLOW_LINKS) && Files.readSymbolicLink(proc).equals(file),
                "the descriptor is closed");
        assertThrows(IllegalStateException.class, fd::value);
    }

    @Test
    void strerror_givesGlibcsDescriptions() {
        assertEquals("Operation not permitted", Libc.strerror(1));
        assertEquals("Bad file descriptor", Libc.strerror(9));
        assertEquals("Unknown error 4095", Libc.strerror(4095));
    }

    /** The open flags of {@code fd} as the kernel prints them (octal) in /proc/self/fdinfo. */
    private static int fdinfoFlags(Fd fd) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd.value())));
        for (String line : lines) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring("flags:".length()).strip(), 8);
            }
        }
        throw new AssertionError("no flags line in fdinfo: " + lines);
    }

    /** The permissions column of the /proc/self/maps line mapping {@code file} at {@code address}. */
    private static Optional<String> mappingPermissions(long address, Path file) throws Exception {
        Pattern line = Pattern.compile("^([0-9a-f]+)-[0-9a-f]+ (\\S{4}) \\S+ \\S+ \\S+\\s+(.*)$");
        for (String l : Files.readAllLines(Path.of("/proc/self/maps"))) {
            Matcher m = line.matcher(l);
            if (m.matches() && Long.parseUnsignedLong(m.group(1), 16) == address && m.group(3).equals(file.toString())) {
                return Optional.of(m.group(2));
            }
        }
        return Optional.empty();
    }
}
