package dev.mdtload.carveout;

import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OpenFdsTest {
    @TempDir
    Path dir;

    @Test
    void transfer_movesTheDescriptors_soOnlyTheNewOwnerClosesThem() throws Exception {
        Fd fd = Libc.open(Files.createFile(dir.resolve("f")), Libc.O_RDONLY, 0);
        OpenFds opening = new OpenFds();
        opening.add(fd);
        OpenFds owner = opening.transfer();
        opening.close();
        assertEquals(fd.value(), fd.value(), "still open after the old owner closed");
        owner.close();
        assertThrows(IllegalStateException.class, fd::value);
    }

    @Test
    void close_closesEveryDescriptor_reportingTheFirstFailureWithTheRestSuppressed() throws Exception {
        Fd good = Libc.open(Files.createFile(dir.resolve("g")), Libc.O_RDONLY, 0);
        OpenFds fds = new OpenFds();
        fds.add(Fd.adopt(987654, Path.of("first-bad")));
        fds.add(good);
        fds.add(Fd.adopt(987655, Path.of("second-bad")));
        PosixException e = assertThrows(PosixException.class, fds::close);
        assertEquals("close(second-bad) failed: EBADF (Bad file descriptor)", e.getMessage(), "newest first");
        assertEquals(1, e.getSuppressed().length);
        assertEquals("close(first-bad) failed: EBADF (Bad file descriptor)", e.getSuppressed()[0].getMessage());
        assertThrows(IllegalStateException.class, good::value);
    }
}
