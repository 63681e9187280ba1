package dev.mdtload.board;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.ReservedMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardReservedMemoryTest {
    private static ReservedMemory fakeBoard() throws Exception {
        return Board.readDtb(BoardFacts.DTB).reservedMemory();
    }

    @Test
    void find_resolvesTheFakeBoardsWpssCarveoutByEveryExactName() throws Exception {
        BoardFacts.CarveoutFact wpss = BoardFacts.read().carveout("wpss_mem");
        ReservedMemory.Region expected = new ReservedMemory.Region(wpss.name(), PhysAddr.of(wpss.base()), wpss.size(), true);
        for (String name : List.of("wpss@9ae00000", "/reserved-memory/wpss@9ae00000", "wpss")) {
            assertEquals(Optional.of(expected), fakeBoard().find(name), name);
        }
        assertEquals(0x9ae00000L, expected.base().value());
        assertEquals(0x1900000L, expected.size());
    }

    @Test
    void find_ofAnUnknownOrEmptyName_findsNothing() throws Exception {
        assertEquals(Optional.empty(), fakeBoard().find("modem"));
        assertEquals(Optional.empty(), fakeBoard().find(""));
        assertEquals(Optional.empty(), fakeBoard().find("wps"), "a prefix must end at - or _");
    }

    @Test
    void find_matchesAPrefixEndingAtADashOrUnderscore() throws Exception {
        ReservedMemory rm = board("wpss-mem@1000", "video_region@2000", "video@3000").reservedMemory();
        assertEquals("wpss-mem@1000", rm.find("wpss").orElseThrow().name());
        assertEquals("video@3000", rm.find("video").orElseThrow().name(), "an exact name beats a prefix");
    }

    @Test
    void find_refusesToGuessBetweenTwoMatches() throws Exception {
        ReservedMemory rm = board("wpss@1000", "wpss@2000", "adsp-mem@3000", "adsp_fw@4000").reservedMemory();
        AmbiguousNameException e = assertThrows(AmbiguousNameException.class, () -> rm.find("wpss"));
        assertEquals(List.of("wpss@1000", "wpss@2000"), e.candidates());
        assertTrue(e.getMessage().endsWith("give the node name with its unit address"));
        assertEquals(List.of("adsp-mem@3000", "adsp_fw@4000"),
                assertThrows(AmbiguousNameException.class, () -> rm.find("adsp")).candidates());
        assertEquals("wpss@2000", rm.find("wpss@2000").orElseThrow().name());
    }

    private static Board board(String... names) throws DeviceTreeException {
        FdtBuilder b = new FdtBuilder().beginNode("")
                .beginNode("reserved-memory").cells("#address-cells", 1).cells("#size-cells", 1);
        for (String name : names) {
            b.beginNode(name).cells("reg", Long.parseLong(name.substring(name.indexOf('@') + 1), 16), 0x100).endNode();
        }
        return Board.of(DeviceTree.parseBlob(MemorySegment.ofArray(b.endNode().endNode().end().build()), "t.dtb"));
    }
}
