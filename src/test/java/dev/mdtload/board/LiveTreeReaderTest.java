package dev.mdtload.board;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveTreeReaderTest {
    @Test
    void readLive_dropsTheNameFilesTheKernelAddsButKeepsARealNameProperty(@TempDir Path base) throws Exception {
        LiveTreeDir dir = new LiveTreeDir(base);
        dir.prop("/name", new byte[] {0})
                .string("/wpss@9ae00000/name", "wpss")
                .string("/odd@1/name", "something-else");
        DeviceTree tree = DeviceTree.readLive(base);
        assertTrue(tree.root().properties().isEmpty());
        assertTrue(tree.node("/wpss@9ae00000").orElseThrow().properties().isEmpty());
        assertEquals(List.of("something-else"), tree.strings(tree.node("/odd@1").orElseThrow(), "name"));
    }

    @Test
    void readLive_refusesASymbolicLinkRatherThanFollowingIt(@TempDir Path base) throws Exception {
        Files.createDirectories(base.resolve("soc"));
        Files.createSymbolicLink(base.resolve("soc/loop"), base);
        DeviceTreeException e = assertThrows(DeviceTreeException.class, () -> DeviceTree.readLive(base));
        assertEquals(base + ": /soc/loop: is a symbolic link, not a property file or node directory", e.getMessage());
    }

    @Test
    void readLive_refusesNestingDeeperThanTheCap(@TempDir Path base) throws Exception {
        Files.createDirectories(base.resolve("n/".repeat(Limits.MAX_DEPTH + 1)));
        DeviceTreeException e = assertThrows(DeviceTreeException.class, () -> DeviceTree.readLive(base));
        assertTrue(e.getMessage().endsWith("nested deeper than 64 levels"), e.getMessage());
    }

    @Test
    void readLive_refusesPropertiesOverTheByteCap(@TempDir Path base) throws Exception {
        Files.write(base.resolve("a"), new byte[(int) (Limits.MAX_BYTES / 2)]);
        Files.write(base.resolve("b"), new byte[(int) (Limits.MAX_BYTES / 2) + 1]);
        DeviceTreeException e = assertThrows(DeviceTreeException.class, () -> DeviceTree.readLive(base));
        assertTrue(e.getMessage().endsWith("property values exceed 8388608 bytes"), e.getMessage());
    }

    @Test
    void readLive_ofAMissingDirectory_saysWhichDirectory(@TempDir Path base) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> DeviceTree.readLive(base.resolve("none")));
        assertEquals(base.resolve("none").toString(), e.getFile());
    }

    @Test
    void reg_usesTheParentsCellsAndTheSpecDefaults(@TempDir Path base) throws Exception {
        new LiveTreeDir(base)
                .cells("/a@1/reg", 0x1, 0x2, 0x3)                  // root without cells: 2 + 1
                .cells("/bus/#address-cells", 1).cells("/bus/#size-cells", 0)
                .cells("/bus/dev@5/reg", 0x5, 0x6);
        DeviceTree tree = DeviceTree.readLive(base);
        assertEquals(List.of(new DeviceTree.Reg(0x1_0000_0002L, 0x3)), tree.reg(tree.node("/a@1").orElseThrow()));
        assertEquals(List.of(new DeviceTree.Reg(0x5, 0), new DeviceTree.Reg(0x6, 0)),
                tree.reg(tree.node("/bus/dev@5").orElseThrow()));
    }
}
