package dev.mdtload.board;

import dev.mdtload.address.PhysAddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardTest {
    private static final BoardFacts FACTS = BoardFacts.read();

    /** A carveout reduced to what the .dts states. */
    private record Region(String name, long base, long size, boolean noMap) {}

    private static List<Region> regions(Board board) {
        return board.carveouts().stream().map(c -> new Region(c.name(), c.base().value(), c.size(), c.noMap())).toList();
    }

    private static List<Region> factRegions() {
        return FACTS.carveouts().stream().map(c -> new Region(c.name(), c.base(), c.size(), c.noMap()))
                .sorted(Comparator.comparingLong(Region::base)).toList();
    }

    @Test
    void readDtb_listsTheCarveoutsOfTheDtsSortedByBase() throws Exception {
        Board board = Board.readDtb(BoardFacts.DTB);
        assertEquals(6, FACTS.carveouts().size(), "the .dts has six fixed regions (linux,cma has no reg)");
        assertEquals(factRegions(), regions(board));
        assertTrue(board.overlaps().isEmpty());
    }

    @Test
    void readDtb_resolvesEachProcessorsMemoryRegionPhandleToItsCarveout() throws Exception {
        Board board = Board.readDtb(BoardFacts.DTB);
        assertEquals(FACTS.processors().size(), board.processors().size());
        for (BoardFacts.ProcessorFact fact : FACTS.processors()) {
            Processor p = board.processors().stream().filter(x -> x.name().equals(fact.name())).findFirst().orElseThrow();
            assertEquals(List.of(FACTS.carveout(fact.regionLabel()).name()), p.memoryRegions(), fact.name());
            assertEquals(List.of(fact.firmware()), p.firmwareNames());
            assertEquals(fact.compatible(), p.compatible());
            assertEquals(fact.enabled(), p.enabled());
            assertEquals(List.of(p), board.usedBy(board.carveoutsOf(p).getFirst()));
        }
    }

    @Test
    void readDtb_carveoutsSitWhereTheRealImagesNeedThem() throws Exception {
        // addresses and kernel load sizes from ../shared/firmware/README.md, keyed by firmware-name
        Map<String, long[]> images = Map.of(
                "ath11k/WCN6750/hw1.0/wpss.mdt", new long[] {0x9ae00000L, 26214400},
                "ath11k/IPQ8074/hw2.0/m3_fw.mdt", new long[] {0x4b000000L, 327680},
                "ath11k/IPQ8074/hw2.0/q6_fw.mdt", new long[] {0x4b100000L, 8364032},
                "qcom/venus-5.2/venus.mbn", new long[] {-1, 5242880});
        Board board = Board.readDtb(BoardFacts.DTB);
        for (Map.Entry<String, long[]> image : images.entrySet()) {
            Processor p = board.processors().stream().filter(x -> x.firmwareNames().contains(image.getKey()))
                    .findFirst().orElseThrow();
            Carveout c = board.carveoutsOf(p).getFirst();
            long fixedAt = image.getValue()[0];
            if (fixedAt >= 0) {
                assertEquals(fixedAt, c.base().value(), image.getKey() + " is linked at its carveout's base");
            }
            assertTrue(c.size() >= image.getValue()[1], image.getKey() + " fits " + c.name());
            assertTrue(c.noMap());
        }
    }

    @Test
    void readLive_ofTheCommittedFakeBoard_isTheSameTreeAsTheDtb() throws Exception {
        DeviceTree blob = DeviceTree.readBlob(BoardFacts.DTB);
        DeviceTree live = DeviceTree.readLive(BoardFacts.ROOT.resolve(Board.LIVE_TREE));
        assertEquals(blob.root(), live.root());
        assertEquals(Board.of(blob).carveouts(), Board.of(live).carveouts());
    }

    /** The committed fake board's root compatible, as dtc wrote board.dts's into the live tree: NUL-separated strings. */
    @Test
    void rootCompatible_ofTheCommittedFakeBoard_isItsStringList_andNoneWithoutATree(@TempDir Path empty) {
        assertEquals(List.of("mdtload,fake-board", "qcom,sc7280"), Board.rootCompatible(BoardFacts.ROOT));
        assertEquals(List.of(), Board.rootCompatible(empty));
    }

    @Test
    void read_ofALiveTreeWrittenFromTheFactsWithOneCell_givesTheDtbsBoard(@TempDir Path root) throws Exception {
        LiveTreeDir dir = new LiveTreeDir(root.resolve(Board.LIVE_TREE));
        dir.node("/").cells("/reserved-memory/#address-cells", 1).cells("/reserved-memory/#size-cells", 1);
        int phandle = 0x40;
        Map<String, Integer> phandles = new java.util.HashMap<>();
        for (BoardFacts.CarveoutFact c : FACTS.carveouts()) {
            String node = "/reserved-memory/" + c.name();
            dir.cells(node + "/reg", c.base(), c.size()).cells(node + "/phandle", ++phandle);
            if (c.noMap()) {
                dir.prop(node + "/no-map", new byte[0]);
            }
            phandles.put(c.label(), phandle);
        }
        for (BoardFacts.ProcessorFact p : FACTS.processors()) {
            String node = "/soc@0/" + p.name();
            dir.prop(node + "/compatible", String.join("\0", p.compatible()).concat("\0").getBytes())
                    .string(node + "/firmware-name", p.firmware())
                    .cells(node + "/memory-region", phandles.get(p.regionLabel()));
            if (!p.enabled()) {
                dir.string(node + "/status", "disabled");
            }
        }
        Board live = Board.read(root);
        Board blob = Board.readDtb(BoardFacts.DTB);
        assertEquals(regions(blob), regions(live));
        assertEquals(blob.processors(), live.processors());
    }

    @Test
    void of_flagsEveryOverlapWithTheSharedRange() throws Exception {
        byte[] blob = reservedMemory(
                new long[] {0x1000, 0x3000},   // a [0x1000, 0x4000)
                new long[] {0x3000, 0x2000},   // b [0x3000, 0x5000): overlaps a in [0x3000, 0x4000)
                new long[] {0x5000, 0x1000},   // c [0x5000, 0x6000): touches b, no overlap
                new long[] {0x1800, 0x100});   // d inside a
        Board board = board(blob);
        assertEquals(List.of(
                new Overlap("r0@1000", "r3@1800", PhysAddr.of(0x1800), PhysAddr.of(0x1900)),
                new Overlap("r0@1000", "r1@3000", PhysAddr.of(0x3000), PhysAddr.of(0x4000))), board.overlaps());
    }

    @Test
    void of_skipsDynamicDisabledAndEmptyRegions() throws Exception {
        byte[] blob = new FdtBuilder().beginNode("")
                .beginNode("reserved-memory").cells("#address-cells", 1).cells("#size-cells", 1)
                .beginNode("pool").cells("size", 0x100000).endNode()
                .beginNode("off@1000").cells("reg", 0x1000, 0x1000).strings("status", "disabled").endNode()
                .beginNode("on@2000").cells("reg", 0x2000, 0x1000).strings("status", "okay").endNode()
                .beginNode("empty@3000").cells("reg", 0x3000, 0).endNode()
                .endNode().endNode().end().build();
        Board board = board(blob);
        assertEquals(List.of("on@2000"), board.carveouts().stream().map(Carveout::name).toList());
        assertFalse(board.carveouts().getFirst().noMap());
    }

    @Test
    void of_refusesAMemoryRegionOutsideReservedMemory() {
        byte[] blob = new FdtBuilder().beginNode("")
                .beginNode("reserved-memory").endNode()
                .beginNode("sram@0").cells("phandle", 7).endNode()
                .beginNode("rproc").cells("memory-region", 7).endNode()
                .endNode().end().build();
        assertEquals("test.dtb: /rproc: memory-region points to /sram@0, which is not a /reserved-memory node",
                assertThrows(DeviceTreeException.class, () -> board(blob)).getMessage());
    }

    @Test
    void of_refusesADanglingPhandle() {
        byte[] blob = new FdtBuilder().beginNode("").beginNode("rproc").cells("memory-region", 9).endNode()
                .endNode().end().build();
        assertEquals("test.dtb: /rproc: memory-region refers to phandle 0x9, which no node has",
                assertThrows(DeviceTreeException.class, () -> board(blob)).getMessage());
    }

    @Test
    void of_refusesRegCellsItCannotRead() {
        byte[] three = new FdtBuilder().beginNode("")
                .beginNode("reserved-memory").cells("#address-cells", 3).cells("#size-cells", 1)
                .beginNode("r@0").cells("reg", 0, 0, 0, 0x1000).endNode().endNode().endNode().end().build();
        assertTrue(assertThrows(DeviceTreeException.class, () -> board(three)).getMessage()
                .contains("#address-cells is 3: mdtload reads addresses and sizes of at most 2 cells"));
        byte[] ragged = new FdtBuilder().beginNode("")
                .beginNode("reserved-memory").cells("#address-cells", 2).cells("#size-cells", 2)
                .beginNode("r@0").cells("reg", 0, 0x1000, 0).endNode().endNode().endNode().end().build();
        assertEquals("test.dtb: /reserved-memory/r@0: reg is 12 bytes, not a multiple of 16 "
                + "(#address-cells 2 + #size-cells 2 of /reserved-memory)",
                assertThrows(DeviceTreeException.class, () -> board(ragged)).getMessage());
        byte[] high = new FdtBuilder().beginNode("")
                .beginNode("reserved-memory").cells("#address-cells", 2).cells("#size-cells", 1)
                .beginNode("r@0").cells("reg", 0x80000000L, 0, 0x1000).endNode().endNode().endNode().end().build();
        assertTrue(assertThrows(DeviceTreeException.class, () -> board(high)).getMessage().contains("reaches past 2^63"));
    }

    private static Board board(byte[] blob) throws DeviceTreeException {
        return Board.of(DeviceTree.parseBlob(MemorySegment.ofArray(blob), "test.dtb"));
    }

    /** A tree whose /reserved-memory (one cell each) holds r0@base, r1@base... with the given {base, size}. */
    static byte[] reservedMemory(long[]... regions) {
        FdtBuilder b = new FdtBuilder().beginNode("")
                .beginNode("reserved-memory").cells("#address-cells", 1).cells("#size-cells", 1);
        for (int i = 0; i < regions.length; i++) {
            b.beginNode("r" + i + "@" + Long.toHexString(regions[i][0])).cells("reg", regions[i][0], regions[i][1])
                    .cells("phandle", i + 1).endNode();
        }
        return b.endNode().endNode().end().build();
    }
}
