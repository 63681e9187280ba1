package dev.mdtload.files;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFileTest {
    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void write_removesTheTempFilesAKilledRunLeftForThatTargetOnly(@TempDir Path dir) throws Exception {
        // what a run killed mid-write leaves: .NAME.<random digits>.tmp, unlocked
        Files.write(dir.resolve(".fw.mbn.8123456789012345678.tmp"), new byte[100]);
        Files.write(dir.resolve(".fw.mbn.old.42.tmp"), new byte[1]);       // the temp of "fw.mbn.old", not ours
        Files.write(dir.resolve(".fw.mbn.42.tmp.keep"), new byte[1]);      // no temp name at all
        Files.write(dir.resolve(".other.mbn.42.tmp"), new byte[1]);        // another target's
        AtomicFile.write(dir.resolve("fw.mbn"), false, new byte[] {1, 2, 3});
        assertEquals(List.of(".fw.mbn.42.tmp.keep", ".fw.mbn.old.42.tmp", ".other.mbn.42.tmp", "fw.mbn"), names(dir));
    }

    @Test
    void write_leavesATempFileThatIsStillBeingWritten(@TempDir Path dir) throws Exception {
        Path busy = dir.resolve(".fw.mbn.77.tmp");
        Files.write(busy, new byte[10]);
        try (FileChannel writer = FileChannel.open(busy, StandardOpenOption.WRITE)) {
            writer.lock();
            AtomicFile.write(dir.resolve("fw.mbn"), false, new byte[] {1});
            assertTrue(Files.exists(busy), "a locked temp file belongs to a live writer");
        }
    }

    @Test
    void write_refusesAnExistingTargetAndLeavesNoTempFile(@TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolve("fw.mbn"), "old");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> AtomicFile.write(target, false, new byte[] {1}));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("fw.mbn"), names(dir));
    }

    @Test
    void write_failingContentLeavesTheOldTargetAndNoTempFile(@TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolve("fw.mbn"), "old");
        assertThrows(IOException.class, () -> AtomicFile.write(target, true, out -> {
            out.write(new byte[4096]);
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("fw.mbn"), names(dir));
    }

    @Test
    void write_cleansAndLocksOnJimfsToo() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = Files.createDirectories(fs.getPath("/fw"));
            Files.write(dir.resolve(".a.bin.1.tmp"), new byte[3]);
            AtomicFile.write(dir.resolve("a.bin"), false, new byte[] {9});
            assertEquals(List.of("a.bin"), names(dir));
        }
    }
}
