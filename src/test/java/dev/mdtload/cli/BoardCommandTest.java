package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.testing.FakeBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardCommandTest {
    @Test
    void board_listsTheFakeBoardsCarveoutsAndWhoUsesThem() {
        CliRun run = CliRun.of("board", "--dtb", FakeBoard.DTB.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().lines().anyMatch(l -> l.matches(
                "\\s*wpss@9ae00000\\s+0x9ae00000\\s+0x1900000\\s+0x9c700000\\s+yes\\s+remoteproc@8a00000")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches(
                "\\s*remoteproc@3700000\\s+disabled\\s+adsp@86700000\\s+qcom/qcm6490/adsp.mbn")), run.out());
        assertTrue(run.out().contains("overlaps: none"));
    }

    @Test
    void board_readsTheLiveTreeUnderRootByDefault() {
        CliRun live = CliRun.of("board", "--root", FakeBoard.ROOT.toString());
        CliRun dtb = CliRun.of("board", "--dtb", FakeBoard.DTB.toString());
        assertEquals(0, live.exit(), live.err());
        assertEquals(dtb.out().lines().skip(1).toList(), live.out().lines().skip(1).toList(), "same board, other source line");
    }

    @Test
    void board_json_givesAddressesAsNumbers() throws Exception {
        CliRun run = CliRun.of("board", "--dtb", FakeBoard.DTB.toString(), "--json");
        JsonNode board = CliRun.result(run.out());
        JsonNode q6 = board.get("carveouts").get(1);
        assertEquals("q6@4b100000", q6.get("name").asText());
        assertEquals(0x4b100000L, q6.get("base").asLong());
        assertEquals(0x4b900000L, q6.get("end").asLong());
        assertEquals("remoteproc@cd00000", q6.get("used_by").get(0).asText());
        assertEquals(0, board.get("overlaps").size());
    }

    @Test
    void board_withOverlappingCarveouts_exits1AndNamesThePairAndRange(@TempDir Path root) throws Exception {
        Path reserved = Files.createDirectories(root.resolve("sys/firmware/devicetree/base/reserved-memory"));
        Files.write(reserved.resolve("#address-cells"), cells(1));
        Files.write(reserved.resolve("#size-cells"), cells(1));
        Files.createDirectories(reserved.resolve("a@1000"));
        Files.write(reserved.resolve("a@1000/reg"), cells(0x1000, 0x2000));
        Files.createDirectories(reserved.resolve("b@2000"));
        Files.write(reserved.resolve("b@2000/reg"), cells(0x2000, 0x2000));
        CliRun run = CliRun.of("board", "--root", root.toString());
        assertEquals(1, run.exit());
        assertEquals("mdtload: " + root.resolve("sys/firmware/devicetree/base")
                + ": carveouts a@1000 and b@2000 overlap in [0x2000, 0x3000)\n", run.err());
    }

    @Test
    void board_ofATruncatedDtb_exits1WithOneLine(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("cut.dtb");
        byte[] dtb = Files.readAllBytes(FakeBoard.DTB);
        Files.write(cut, Arrays.copyOf(dtb, dtb.length / 2));
        CliRun run = CliRun.of("board", "--dtb", cut.toString());
        assertEquals(1, run.exit());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("mdtload: " + cut + ": fdt header: totalsize "), run.err());
    }

    @Test
    void board_ofAMissingDtb_isAUsageError(@TempDir Path dir) {
        CliRun run = CliRun.of("board", "--dtb", dir.resolve("none.dtb").toString());
        assertEquals(2, run.exit());
        assertEquals("mdtload: " + dir.resolve("none.dtb") + ": no such file or directory\n", run.err());
    }

    private static byte[] cells(long... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (long v : values) {
            b.putInt((int) v);
        }
        return b.array();
    }
}
