package dev.mdtload.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.testing.FakeBoard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RprocCommandTest {
    private static final String M3 = FakeBoard.FIRMWARE.resolve("ath11k/IPQ8074/hw2.0/m3_fw.mdt").toString();

    private static CliRun rproc(Path root, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "rproc";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--root";
        all[args.length + 2] = root.toString();
        all[args.length + 3] = "--sysfs";
        all[args.length + 4] = "sim";
        return CliRun.of((Object[]) all);
    }

    @Test
    void startThenStop_drivesTheSimulatedKernelThroughItsStates(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        CliRun start = rproc(root, "start", "m3", M3, "--as", "ath11k/IPQ8074/hw2.0/m3_fw.mdt", "--timeout", "2.5");
        assertEquals(0, start.exit(), start.err());
        assertTrue(start.out().startsWith("remoteproc2 (m3): staged ath11k/IPQ8074/hw2.0/m3_fw.mdt (4 files) in "), start.out());

        JsonNode status = CliRun.result(rproc(root, "status", "m3", "--json").out());
        assertEquals("running", status.get("state").asText());
        assertEquals("ath11k/IPQ8074/hw2.0/m3_fw.mdt", status.get("firmware").asText());
        assertEquals("running\n", Files.readString(root.resolve("sys/class/remoteproc/remoteproc2/state")));

        assertEquals("remoteproc2 (m3): offline\n", rproc(root, "stop", "m3").out());
        CliRun again = rproc(root, "stop", "m3");
        assertEquals(4, again.exit());
        assertEquals("mdtload: remoteproc2 (m3): cannot stop: it is not running (EINVAL)\n", again.err());
    }

    @Test
    void start_withANameOutsideTheSearchPath_exits2AndWritesNothing(@TempDir Path dir) {
        Path root = FakeBoard.copy(dir);
        Map<String, String> before = FakeBoard.fingerprint(root);
        for (String name : new String[] {"../m3.mdt", "/lib/firmware/m3.mdt", "a/../../m3.mdt", ""}) {
            CliRun run = rproc(root, "start", "m3", M3, "--as", name);
            assertEquals(2, run.exit(), name);
            assertTrue(run.err().startsWith("mdtload: firmware name "), run.err());
        }
        assertEquals(before, FakeBoard.fingerprint(root));
    }

    @Test
    void start_ofAnInvalidImage_exits1AndWritesNothing(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Path image = dir.resolve("img/m3_fw.mdt");
        FakeBoard.copyTree(Path.of(M3).getParent(), image.getParent());
        Files.delete(image.resolveSibling("m3_fw.b01"));
        Files.delete(image.resolveSibling("m3_fw.b02"));
        Map<String, String> before = FakeBoard.fingerprint(root);
        CliRun run = rproc(root, "start", "m3", image.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("[part-missing]"), run.err());
        assertEquals(before, FakeBoard.fingerprint(root));
        assertEquals("offline", rproc(root, "status", "m3", "--json").out().replaceAll(".*\"state\":\"(\\w+)\".*\\s*", "$1"));
    }

    @Test
    void firmware_showsAndSetsTheNameOnlyWhileOffline(@TempDir Path dir) {
        Path root = FakeBoard.copy(dir);
        assertEquals("remoteproc0 (wpss): ath11k/WCN6750/hw1.0/wpss.mdt\n", rproc(root, "firmware", "wpss").out());
        CliRun set = rproc(root, "firmware", "remoteproc0", "qcom/other.mdt");
        assertEquals(0, set.exit(), set.err());
        assertTrue(set.err().startsWith("mdtload: note: no file qcom/other.mdt in "), set.err());
        assertEquals(0, rproc(root, "start", "wpss", M3, "--as", "m3_fw.mdt").exit());
        CliRun busy = rproc(root, "firmware", "wpss", "qcom/other.mdt");
        assertEquals(4, busy.exit());
        assertEquals("mdtload: remoteproc0 (wpss): cannot set firmware: it is not offline (EBUSY)\n", busy.err());
    }

    @Test
    void list_showsEveryProcessorAndUsageErrorsExit2(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        CliRun list = rproc(root, "list", "--json");
        JsonNode processors = Json.MAPPER.readTree(list.out()).get("result");
        assertEquals(3, processors.size());
        assertEquals("q6v5-wcss", processors.get(1).get("name").asText());
        assertEquals(2, rproc(root, "status", "modem").exit());
        assertEquals(2, rproc(root, "start", "m3", M3, "--timeout", "-1").exit());
        assertEquals(2, CliRun.of("rproc").exit());
        assertEquals(2, rproc(root, "start", "m3", dir.resolve("none.mdt").toString()).exit());
    }
}
