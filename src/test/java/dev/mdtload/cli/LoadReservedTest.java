package dev.mdtload.cli;

import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.testing.FakeBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LoadReservedTest {
    private static final Path WPSS = FakeBoard.FIRMWARE.resolve("ath11k/WCN6750/hw1.0/wpss.mdt");

    @Test
    void load_intoAReservedCarveout_findsItInTheFakeBoardsDeviceTree(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Path mem = Files.createDirectories(root.resolve("dev")).resolve("mem");
        try (RandomAccessFile f = new RandomAccessFile(mem.toFile(), "rw")) {
            f.setLength(0xa0000000L);   // sparse: past the wpss carveout's end, 0x9c700000
        }
        CliRun run = CliRun.of("load", WPSS.toString(), "--carveout", "reserved:wpss", "--size", "0x1900000",
                "--root", root.toString(), "--pas-id", "6", "--scm", "sim");
        assertEquals(0, run.exit(), run.err());

        // every part with bytes is now at its p_paddr in the stand-in for /dev/mem (wpss is fixed at 0x9ae00000)
        try (FirmwareImage image = FirmwareImage.open(WPSS); RandomAccessFile f = new RandomAccessFile(mem.toFile(), "r")) {
            for (int i = 2; i < 8; i++) {
                ProgramHeader p = image.segment(i).phdr();
                byte[] part = Files.readAllBytes(WPSS.resolveSibling(String.format("wpss.b%02d", i)));
                byte[] loaded = new byte[part.length];
                f.seek(p.p_paddr());
                f.readFully(loaded);
                assertArrayEquals(part, loaded, "segment " + i);
            }
        }
    }

    @Test
    void load_intoAReservedNameTheBoardLacks_isAUsageError(@TempDir Path dir) {
        Path root = FakeBoard.copy(dir);
        CliRun run = CliRun.of("load", WPSS.toString(), "--carveout", "reserved:modem", "--size", "0x1900000",
                "--root", root.toString(), "--pas-id", "6", "--scm", "sim");
        assertEquals(2, run.exit());
        assertEquals("mdtload: carveout reserved:modem: the board has no reserved-memory region named 'modem'\n", run.err());
    }
}
