package dev.mdtload.preflight;

import dev.mdtload.preflight.BoardFacts.Fact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FactsFileTest {
    @Test
    void yaml_readsHexAndDecimalFacts(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("board.yaml"), """
                root_sha256: F8AB20526358C4FA4CEF96D78C45180DC3DB75E8F24051AD624448C134B4E861
                oem_id: 0x1234
                model_id: 7
                hw_id: 0x6000000000000000
                rollback: 3
                """);
        assertEquals(new BoardFacts(List.of(new Fact.Root("f8ab20526358c4fa4cef96d78c45180dc3db75e8f24051ad624448c134b4e861"),
                new Fact.OemId(0x1234), new Fact.ModelId(7), new Fact.HwId(0x6000000000000000L), new Fact.Rollback(3))),
                FactsFile.read(file));
    }

    @Test
    void json_takesHexAsAString(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("board.json"), "{\"oem_id\": \"0x40\", \"model_id\": 744}");
        assertEquals(new BoardFacts(List.of(new Fact.OemId(0x40), new Fact.ModelId(744))), FactsFile.read(file));
    }

    @Test
    void everyBadFieldIsNamed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("board.yaml"), "oem: 1\nmodel_id: seven\nroot_sha256: abc\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FactsFile.read(file));
        assertEquals(file + ": unknown fact 'oem' (known: root_sha256, oem_id, model_id, hw_id, rollback, soc); "
                + "model_id: 'seven' is not a whole number (decimal or 0x hex); root_sha256 'abc' is not 64 hex digits",
                e.getMessage());
    }

    @Test
    void theSoc_isReadLowercase_andNamesNoFuseTheChecksCompare(@TempDir Path dir) throws IOException {
        BoardFacts soc = FactsFile.read(Files.writeString(dir.resolve("board.yaml"), "soc: X1E80100\n"));
        assertEquals(new BoardFacts(List.of(new Fact.Soc("x1e80100"))), soc);
        assertFalse(soc.knowsFuses());
        assertTrue(soc.with(new BoardFacts(List.of(new Fact.OemId(0)))).knowsFuses());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FactsFile.read(Files.writeString(dir.resolve("bad.yaml"), "soc: 'x1e 80100'\n")));
        assertEquals(dir.resolve("bad.yaml") + ": soc 'x1e 80100' is not a SoC name such as x1e80100", e.getMessage());
    }

    /** The SoC a device tree names is its root compatible's last string, qcom's; a fact given wins. */
    @Test
    void theSocOfADeviceTree_fillsInOnlyASocTheFactsDoNotName() {
        List<String> laptop = List.of("lenovo,yoga-slim7x", "qcom,x1e80100");
        assertEquals(new BoardFacts(List.of(new Fact.OemId(1), new Fact.Soc("x1e80100"))),
                new BoardFacts(List.of(new Fact.OemId(1))).withSocOf(laptop));
        BoardFacts given = new BoardFacts(List.of(new Fact.Soc("sm8550")));
        assertEquals(given, given.withSocOf(laptop));
        assertEquals(BoardFacts.NONE, BoardFacts.NONE.withSocOf(List.of()));
        // not Qualcomm's, or not a name a SoC table could hold: no SoC, as without a tree
        assertEquals(BoardFacts.NONE, BoardFacts.NONE.withSocOf(List.of("raspberrypi,5-model-b", "brcm,bcm2712")));
        assertEquals(BoardFacts.NONE, BoardFacts.NONE.withSocOf(List.of("qcom,")));
        assertEquals(BoardFacts.NONE, BoardFacts.NONE.withSocOf(List.of("qcom,x1e 80100")));
    }

    @Test
    void optionsOverrideTheFile() {
        BoardFacts file = new BoardFacts(List.of(new Fact.OemId(1), new Fact.ModelId(2)));
        assertEquals(new BoardFacts(List.of(new Fact.OemId(9), new Fact.ModelId(2))),
                file.with(new BoardFacts(List.of(new Fact.OemId(9)))));
    }
}
