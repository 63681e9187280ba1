package dev.mdtload.carveout;

import dev.mdtload.address.Page;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MappingTest {
    private static final long PAGE = Page.SIZE;

    @TempDir
    Path dir;

    @Test
    void map_skipsToTheCarveoutInsideTheMappedRange() throws Exception {
        Path file = Bytes.sparseFile(dir.resolve("f"), 8 * PAGE);
        byte[] written = Bytes.pattern(2 * PAGE, 14);
        try (OpenFds fds = new OpenFds()) {
            Fd fd = fds.add(Libc.open(file, Libc.O_RDWR, 0));
            try (Mapping mapping = Mapping.map(fds, fd, 2 * PAGE, 3 * PAGE, 2 * PAGE)) {
                assertEquals(2 * PAGE, mapping.memory().byteSize());
                Bytes.write(mapping.memory(), written);
                mapping.flush();
            }
        }
        assertArrayEquals(written, Bytes.read(file, 5 * PAGE, 2 * PAGE));
    }

    @Test
    void close_unmapsAndClosesEveryDescriptorItTookOver() throws Exception {
        Path file = Bytes.sparseFile(dir.resolve("f"), PAGE);
        OpenFds fds = new OpenFds();
        Fd lock = fds.add(Libc.open(Bytes.sparseFile(dir.resolve("lock"), 0), Libc.O_RDWR, 0));
        Fd fd = fds.add(Libc.open(file, Libc.O_RDWR, 0));
        Mapping mapping = Mapping.map(fds, fd, 0, 0, PAGE);
        fds.close();
        assertEquals(0, mapping.memory().get(JAVA_BYTE, 0), "the opener's block no longer owns the descriptors");
        mapping.close();
        assertThrows(IllegalStateException.class, () -> mapping.memory().get(JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, lock::value);
        assertThrows(IllegalStateException.class, fd::value);
    }

    @Test
    void aFailedMap_leavesTheDescriptorsToTheOpener() throws Exception {
        Path file = Bytes.sparseFile(dir.resolve("f"), PAGE);
        try (OpenFds fds = new OpenFds()) {
            Fd fd = fds.add(Libc.open(file, Libc.O_RDWR, 0));
            IOException e = assertThrows(IOException.class, () -> Mapping.map(fds, fd, PAGE, 0, PAGE));
            assertEquals(file + " is 4096 bytes, too short for the carveout's bytes 0x1000..0x2000", e.getMessage());
            assertEquals(fd.value(), fd.value(), "still open: the opener closes it");
        }
    }
}
