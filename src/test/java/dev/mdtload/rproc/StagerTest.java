package dev.mdtload.rproc;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.testing.FakeBoard;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagerTest {
    private static final Path Q6 = FakeBoard.FIRMWARE.resolve("ath11k/IPQ8074/hw2.0/q6_fw.mdt");

    @Test
    void stage_thatRunsOutOfSpaceMidway_leavesOnlyWholeFilesAndNoTemporary() throws Exception {
        // q6's parts add up to about 8 MB: a 4 MiB file system fills up in the middle of them
        Configuration small = Configuration.unix().toBuilder().setMaxSize(4L << 20).build();
        try (FileSystem fs = Jimfs.newFileSystem(small); FirmwareImage image = FirmwareImage.open(Q6)) {
            Path dir = Files.createDirectories(fs.getPath("/lib/firmware"));
            assertThrows(IOException.class, () -> Stager.stage(image, FirmwareName.of("q6_fw.mdt"), dir));

            List<Path> left;
            try (Stream<Path> files = Files.list(dir)) {
                left = files.toList();
            }
            assertFalse(left.isEmpty(), "some parts were staged before the space ran out");
            for (Path file : left) {
                String name = file.getFileName().toString();
                assertFalse(name.startsWith("."), "temporary file left behind: " + name);
                assertTrue(name.matches("q6_fw\\.b\\d\\d"), "only parts, never the image file before them: " + name);
                byte[] source = Files.readAllBytes(Q6.resolveSibling(name));
                assertEquals(-1, java.util.Arrays.mismatch(source, Files.readAllBytes(file)), name + " is whole");
            }
        }
    }

    @Test
    void plan_namesEachPartAfterTheFirmwareName() throws Exception {
        try (FirmwareImage image = FirmwareImage.open(Q6)) {
            Path dir = Path.of("/lib/firmware");
            List<Stager.Copy> plan = Stager.plan(image, FirmwareName.of("ath11k/q6.mdt"), dir);
            // README: q6 is split into .b00..b08 without .b06
            List<String> expected = List.of("q6.b00", "q6.b01", "q6.b02", "q6.b03", "q6.b04", "q6.b05", "q6.b07", "q6.b08", "q6.mdt");
            assertEquals(expected, plan.stream().map(c -> c.target().getFileName().toString()).toList());
            assertArrayEquals(Files.readAllBytes(Q6.resolveSibling("q6_fw.b07")), plan.get(6).bytes().toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(Files.readAllBytes(Q6), plan.getLast().bytes().toArray(ValueLayout.JAVA_BYTE));
            assertEquals(dir.resolve("ath11k/q6.mdt"), plan.getLast().target());
        }
    }
}
