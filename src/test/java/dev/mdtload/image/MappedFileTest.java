package dev.mdtload.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MappedFileTest {
    @Test
    void map_givesTheWholeFile(@TempDir Path dir) throws IOException {
        byte[] bytes = {1, 2, 3, 4, 5};
        Path file = Files.write(dir.resolve("five.bin"), bytes);
        try (Arena arena = Arena.ofConfined()) {
            assertArrayEquals(bytes, MappedFile.map(file, arena).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(MemorySegment.NULL, MappedFile.map(Files.write(dir.resolve("empty"), new byte[0]), arena));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void map_failureNamesTheCallAndTheFile() {
        // a sysfs attribute is a regular file of 4096 bytes that refuses mmap (ENODEV): a mapping
        // failure to provoke without a device or a 9p mount
        Path attribute = Path.of("/sys/kernel/uevent_seqnum");
        assumeTrue(Files.isRegularFile(attribute), "no sysfs here");
        try (Arena arena = Arena.ofConfined()) {
            IOException e = assertThrows(IOException.class, () -> MappedFile.map(attribute, arena));
            assertEquals("mmap(/sys/kernel/uevent_seqnum) failed: No such device", e.getMessage());
        }
    }
}
