package dev.mdtload.rproc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileSysfsTest {
    @Test
    void processors_areTheRemoteprocDirectoriesInNumericOrder(@TempDir Path root) throws Exception {
        Path cls = root.resolve(FileSysfs.CLASS_DIR);
        for (String d : List.of("remoteproc10", "remoteproc2", "remoteproc1", "other")) {
            Files.createDirectories(cls.resolve(d));
        }
        Files.createFile(cls.resolve("remoteproc3"));
        assertEquals(List.of("remoteproc1", "remoteproc2", "remoteproc10"), new FileSysfs(root).processors());
    }

    @Test
    void processors_withoutTheClassDirectory_nameTheDirectory(@TempDir Path root) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> new FileSysfs(root).processors());
        assertEquals(root.resolve(FileSysfs.CLASS_DIR).toString(), e.getFile());
    }

    @Test
    void readAndWrite_keepTheNewlineConventionOfSysfs(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve(FileSysfs.CLASS_DIR).resolve("remoteproc0"));
        Files.writeString(dir.resolve("state"), "offline\n");
        FileSysfs sysfs = new FileSysfs(root);
        assertEquals(Optional.of("offline"), sysfs.read("remoteproc0", Attribute.STATE));
        assertEquals(Optional.empty(), sysfs.read("remoteproc0", Attribute.COREDUMP));
        sysfs.write("remoteproc0", Attribute.STATE, "stop");
        assertEquals("stop\n", Files.readString(dir.resolve("state")));
        SysfsException e = assertThrows(SysfsException.class, () -> sysfs.write("remoteproc0", Attribute.FIRMWARE, "x"));
        assertEquals("ENOENT", e.errno(), "sysfs files are never created by a write");
    }

    @Test
    void errno_readsTheKernelsAnswerFromTheJdksStrerrorText() {
        assertEquals("EBUSY", FileSysfs.errno(new IOException("Device or resource busy")));
        assertEquals("EINVAL", FileSysfs.errno(new FileSystemException("/sys/x", null, "Invalid argument")));
        assertEquals("EACCES", FileSysfs.errno(new AccessDeniedException("/sys/x")));
        assertEquals("EPERM", FileSysfs.errno(new IOException("Operation not permitted")));
        assertNull(FileSysfs.errno(new IOException("Input/output error")));
    }
}
