package dev.mdtload.board;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FdtParserTest {
    private static DeviceTree parse(byte[] blob) throws DeviceTreeException {
        return DeviceTree.parseBlob(MemorySegment.ofArray(blob), "t.dtb");
    }

    /** Parses a blob that must be refused, checks the message is one line, and returns it. */
    private static String refused(byte[] blob) {
        DeviceTreeException e = assertThrows(DeviceTreeException.class, () -> parse(blob));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.dtb: "), e.getMessage());
        return e.getMessage();
    }

    private static FdtBuilder minimal() {
        return new FdtBuilder().beginNode("").strings("model", "m");
    }

    @Test
    void parse_readsWhatTheBuilderWrote() throws Exception {
        byte[] blob = new FdtBuilder().nop().beginNode("").cells("#address-cells", 1).nop()
                .beginNode("a@1").strings("compatible", "x,y", "z").prop("empty").endNode()
                .endNode().end().build();
        DeviceTree tree = parse(blob);
        Node a = tree.node("/a@1").orElseThrow();
        assertEquals(List.of("x,y", "z"), tree.strings(a, "compatible"));
        assertEquals(0, a.property("empty").orElseThrow().length());
        assertEquals(1L, tree.u32(tree.root(), "#address-cells").orElseThrow());
        assertEquals("a", a.baseName());
    }

    @Test
    void parse_readsAVersion16BlobWithoutSizeDtStruct() throws Exception {
        byte[] v17 = minimal().endNode().end().build();
        byte[] v16 = FdtBuilder.Field.set(FdtBuilder.Field.set(v17, FdtBuilder.Field.VERSION, 16),
                FdtBuilder.Field.SIZE_DT_STRUCT, 0xdeadbeef);
        assertEquals(parse(v17).root(), parse(v16).root());
    }

    @Test
    void parse_refusesEveryTruncationOfTheShippedDtb() throws Exception {
        byte[] dtb = Files.readAllBytes(BoardFacts.DTB);
        parse(dtb);
        for (int length = 0; length < dtb.length; length++) {
            refused(Arrays.copyOf(dtb, length));
        }
    }

    @Test
    void parse_refusesBadMagic() {
        byte[] blob = FdtBuilder.Field.set(minimal().endNode().end().build(), FdtBuilder.Field.MAGIC, 0x7f454c46);
        assertEquals("t.dtb: fdt header: bad magic 0x7f454c46 (a device tree blob starts with 0xd00dfeed)", refused(blob));
    }

    @Test
    void parse_refusesUnsupportedVersions() {
        byte[] blob = minimal().endNode().end().build();
        assertTrue(refused(FdtBuilder.Field.set(blob, FdtBuilder.Field.VERSION, 15)).contains("version 15"));
        assertTrue(refused(FdtBuilder.Field.set(blob, FdtBuilder.Field.LAST_COMP_VERSION, 18)).contains("compatible back to 18"));
    }

    @Test
    void parse_refusesBlocksAndSizesPastTheEnd() {
        byte[] blob = minimal().endNode().end().build();
        int total = blob.length;
        assertTrue(refused(FdtBuilder.Field.set(blob, FdtBuilder.Field.TOTALSIZE, total + 1)).contains("totalsize"));
        assertTrue(refused(FdtBuilder.Field.set(blob, FdtBuilder.Field.OFF_DT_STRUCT, total + 4))
                .contains("structure block"));
        assertTrue(refused(FdtBuilder.Field.set(blob, FdtBuilder.Field.OFF_DT_STRUCT, 0)).contains("structure block"));
        assertTrue(refused(FdtBuilder.Field.set(blob, FdtBuilder.Field.SIZE_DT_STRUCT, -1)).contains("structure block"));
        assertTrue(refused(FdtBuilder.Field.set(blob, FdtBuilder.Field.OFF_DT_STRINGS, -8)).contains("strings block"));
        assertTrue(refused(FdtBuilder.Field.set(blob, FdtBuilder.Field.SIZE_DT_STRINGS, total)).contains("strings block"));
    }

    @Test
    void parse_refusesAPropertyLengthOf0xffffffff() {
        FdtBuilder b = minimal();
        byte[] blob = b.rawProp(0xffffffff, b.nameOffset("reg"), new byte[8]).endNode().end().build();
        assertTrue(refused(blob).matches("t\\.dtb: /: at blob offset 0x[0-9a-f]+: property length 0xffffffff runs past "
                + "the structure block \\(0x[0-9a-f]+ bytes left\\)"));
    }

    @Test
    void parse_refusesAStringOffsetOutsideTheStringsBlock() {
        FdtBuilder b = minimal();
        byte[] blob = b.rawProp(4, 0x10000, new byte[4]).endNode().end().build();
        assertTrue(refused(blob).contains("property name offset 0x10000 is outside the strings block"));
    }

    @Test
    void parse_refusesAPropertyNameRunningOffTheStringsBlock() {
        byte[] blob = minimal().endNode().end().build();
        int size = FdtBuilder.Field.get(blob, FdtBuilder.Field.SIZE_DT_STRINGS);
        // drop the NUL of the last name: it now ends where the block does
        byte[] cut = FdtBuilder.Field.set(blob, FdtBuilder.Field.SIZE_DT_STRINGS, size - 1);
        assertTrue(refused(cut).contains("property name runs past the end of its block without a terminating NUL"));
    }

    @Test
    void parse_refusesNestingDeeperThanTheCap() throws Exception {
        FdtBuilder ok = new FdtBuilder().beginNode("");
        FdtBuilder deep = new FdtBuilder().beginNode("");
        for (int i = 0; i < Limits.MAX_DEPTH; i++) {
            ok.beginNode("n");
            deep.beginNode("n");
        }
        deep.beginNode("n");
        for (int i = 0; i < Limits.MAX_DEPTH; i++) {
            ok.endNode();
        }
        parse(ok.endNode().end().build());
        assertTrue(refused(deep.build()).contains("nested deeper than 64 levels"));
    }

    @Test
    void parse_refusesMoreNodesThanTheCap() {
        FdtBuilder b = new FdtBuilder().beginNode("");
        for (int i = 0; i < Limits.MAX_NODES; i++) {
            b.beginNode("n" + i).endNode();
        }
        assertTrue(refused(b.endNode().end().build()).contains("more than 65536 nodes"));
    }

    @Test
    void parse_refusesMisplacedTokens() {
        assertTrue(refused(new FdtBuilder().endNode().end().build()).contains("FDT_END_NODE outside any node"));
        assertTrue(refused(new FdtBuilder().prop("x").end().build()).contains("FDT_PROP outside any node"));
        assertTrue(refused(minimal().end().build()).contains("FDT_END inside an open node"));
        assertTrue(refused(new FdtBuilder().end().build()).contains("FDT_END before any node"));
        assertTrue(refused(minimal().endNode().beginNode("").endNode().end().build()).contains("second top-level node"));
        assertTrue(refused(minimal().word(0x7).endNode().end().build()).contains("unknown token 0x00000007"));
        assertTrue(refused(minimal().endNode().build()).contains("no FDT_END"));
        assertTrue(refused(new FdtBuilder().beginNode("root").endNode().end().build()).contains("root node is named 'root'"));
    }

    @Test
    void parse_refusesNamesThatWouldBreakAPathOrALine() {
        assertTrue(refused(minimal().beginNode("a\nb").endNode().endNode().end().build())
                .contains("node name has byte 0x0a at 1"));
        assertTrue(refused(minimal().beginNode("a/b").endNode().endNode().end().build()).contains("byte 0x2f"));
        assertTrue(refused(minimal().beginNode("").endNode().endNode().end().build()).contains("empty node name"));
        assertTrue(refused(minimal().strings("model", "again").endNode().end().build())
                .contains("property model appears twice"));
        assertTrue(refused(minimal().beginNode("a").endNode().beginNode("a").endNode().endNode().end().build())
                .contains("child node a appears twice"));
    }

    @Test
    void parse_refusesInvalidOrDuplicatePhandles() {
        assertTrue(refused(minimal().beginNode("a").cells("phandle", 1).endNode().beginNode("b").cells("phandle", 1)
                .endNode().endNode().end().build()).contains("phandle 0x1 is also the phandle of /a"));
        assertTrue(refused(minimal().cells("phandle", 0xffffffffL).endNode().end().build())
                .contains("not a valid phandle"));
        assertTrue(refused(minimal().cells("phandle", 1).cells("linux,phandle", 2).endNode().end().build())
                .contains("disagree"));
    }

    @Test
    void parse_givesOnlyCleanErrorsForRandomlyDamagedCopiesOfTheShippedDtb() throws Exception {
        byte[] dtb = Files.readAllBytes(BoardFacts.DTB);
        Random random = new Random(5);
        for (int round = 0; round < 3000; round++) {
            byte[] damaged = dtb.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            try {
                Board.of(parse(damaged));
            } catch (DeviceTreeException expected) {
                assertFalse(expected.getMessage().contains("\n"));
            }
        }
    }

    @Test
    void readBlob_refusesAFileOverTheCapWithoutReadingIt(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.dtb");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(Limits.MAX_BYTES + 1);
        }
        DeviceTreeException e = assertThrows(DeviceTreeException.class, () -> DeviceTree.readBlob(big));
        assertEquals(big + ": fdt header: file is 8388609 bytes, more than the 8388608 mdtload reads", e.getMessage());
    }

}
