package dev.mdtload.rproc;

import dev.mdtload.failure.Refusal;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.Validator;
import dev.mdtload.testing.FakeBoard;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteprocsTest {
    private static final Path WPSS = FakeBoard.FIRMWARE.resolve("ath11k/WCN6750/hw1.0/wpss.mdt");
    private static final Path M3 = FakeBoard.FIRMWARE.resolve("ath11k/IPQ8074/hw2.0/m3_fw.mdt");
    private static final Validator VALIDATOR = new Validator(false);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static Remoteprocs simulated(Path root) {
        return new Remoteprocs(root, new SimulatedSysfs(root));
    }

    /** The files beside {@code image} that belong to it: the image and its .bNN parts, by name. */
    private static List<Path> imageFiles(Path image) throws IOException {
        String base = image.getFileName().toString().replaceFirst("\\.mdt$", "");
        try (Stream<Path> files = Files.list(image.getParent())) {
            return files.filter(f -> f.getFileName().toString().matches("\\Q" + base + "\\E\\.(mdt|b\\d\\d)")).sorted().toList();
        }
    }

    @Test
    void start_stagesTheImageAndEveryPartThenRunsTheProcessor(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        FirmwareName name = FirmwareName.of("ath11k/WCN6750/hw1.0/wpss.mdt");
        Remoteprocs.Started s = simulated(root).start("wpss", WPSS, name, VALIDATOR, TIMEOUT);

        assertEquals(RemoteprocState.RUNNING, s.processor().state());
        assertEquals("remoteproc0", s.processor().id());
        assertEquals(name.value(), s.processor().firmware());
        Path staged = root.resolve("lib/firmware/ath11k/WCN6750/hw1.0");
        List<Path> sources = imageFiles(WPSS);
        assertEquals(10, sources.size(), "README: wpss is a .mdt with .b00..b08");
        try (Stream<Path> files = Files.list(staged)) {
            assertEquals(sources.stream().map(Path::getFileName).toList(), files.map(Path::getFileName).sorted().toList());
        }
        for (Path source : sources) {
            assertEquals(-1, Files.mismatch(source, staged.resolve(source.getFileName())), source.toString());
        }
        assertEquals(staged.resolve("wpss.mdt"), s.staged().getLast(), "the image file goes last");
    }

    @Test
    void stage_ofASquashedImageBehindASymlink_writesTheRealBytesUnderTheGivenName(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        // linux-firmware ships venus.mdt as a symlink to venus.mbn
        Path mbn = RealImage.VENUS.copyTo(dir.resolve("fw"));
        Path venus = Files.createSymbolicLink(mbn.resolveSibling("venus.mdt"), mbn.getFileName());
        try (FirmwareImage image = FirmwareImage.open(venus)) {
            VALIDATOR.requireValid(image);
            List<Path> staged = simulated(root).stage(image, FirmwareName.of("qcom/venus-5.2/venus.mdt"));
            assertEquals(List.of(root.resolve("lib/firmware/qcom/venus-5.2/venus.mdt")), staged);
            assertFalse(Files.isSymbolicLink(staged.getFirst()), "the bytes are staged, not the link");
            assertEquals(-1, Files.mismatch(RealImage.VENUS.path(), staged.getFirst()));
        }
    }

    @Test
    void stage_afterTheImageAndAPartWereSwapped_writesTheValidatedBytes(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Path image = RealImage.M3_FW.copyTo(dir.resolve("fw"));
        try (FirmwareImage validated = FirmwareImage.open(image)) {
            VALIDATOR.requireValid(validated);
            // as a package upgrade does: new files renamed over the validated ones
            swap(image.resolveSibling("m3_fw.b02"), 100);
            swap(image, 0x20);

            List<Path> staged = simulated(root).stage(validated, FirmwareName.of("m3_fw.mdt"));
            assertEquals(4, staged.size(), "README: m3_fw is a .mdt with .b00..b02");
            for (Path file : staged) {
                String name = file.getFileName().toString();
                Path original = name.equals("m3_fw.mdt") ? RealImage.M3_FW.path() : RealImage.M3_FW.part(
                        Integer.parseInt(name.substring(name.length() - 2)));
                assertEquals(-1, Files.mismatch(original, file), name + " is the validated file, not the swapped one");
            }
        }
    }

    /** Replaces {@code file} by a copy with byte {@code at} flipped, renamed over it. */
    private static void swap(Path file, int at) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[at] ^= 1;
        Path next = Files.write(file.resolveSibling(file.getFileName() + ".new"), bytes);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertTrue(Files.mismatch(file, RealImage.M3_FW.path().resolveSibling(file.getFileName())) >= 0);
    }

    @Test
    void start_ofAnImageWithACorruptSegment_writesNothing(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Path image = dir.resolve("bad/m3_fw.mdt");
        FakeBoard.copyTree(M3.getParent(), image.getParent());
        Path part = image.resolveSibling("m3_fw.b02");
        byte[] bytes = Files.readAllBytes(part);
        bytes[100] ^= 1;
        Files.write(part, bytes);
        Map<String, String> before = FakeBoard.fingerprint(root);

        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> simulated(root).start("m3", image, FirmwareName.of("m3_fw.mdt"), VALIDATOR, TIMEOUT));
        assertEquals("digest-mismatch", e.rule().id());
        assertEquals(before, FakeBoard.fingerprint(root));
    }

    @Test
    void start_whileRunning_isRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Remoteprocs rp = simulated(root);
        rp.start("m3", M3, FirmwareName.of("m3_fw.mdt"), VALIDATOR, TIMEOUT);
        Map<String, String> before = FakeBoard.fingerprint(root);
        Refusal e = assertThrows(Refusal.class,
                () -> rp.start("m3", WPSS, FirmwareName.of("other.mdt"), VALIDATOR, TIMEOUT));
        assertEquals("remoteproc2 (m3): is running, and the kernel changes firmware only while offline: stop it first",
                e.getMessage());
        assertEquals(before, FakeBoard.fingerprint(root));
    }

    @Test
    void kernelRefusals_becomeSentencesNamingProcessorActionAndErrno(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Remoteprocs rp = simulated(root);
        assertEquals("remoteproc0 (wpss): cannot stop: it is not running (EINVAL)",
                assertThrows(Refusal.class, () -> rp.stop("wpss")).getMessage());
        assertEquals("remoteproc0 (wpss): cannot start: the kernel found no such firmware file in its search path (ENOENT)",
                assertThrows(Refusal.class,
                        () -> rp.boot("wpss", FirmwareName.of("absent.mdt"), TIMEOUT)).getMessage());
        rp.start("wpss", WPSS, FirmwareName.of("wpss.mdt"), VALIDATOR, TIMEOUT);
        assertEquals("remoteproc0 (wpss): cannot set firmware: it is not offline (EBUSY)",
                assertThrows(Refusal.class, () -> rp.setFirmware("wpss", FirmwareName.of("x.mdt"))).getMessage());
        SysfsException busy = assertThrows(SysfsException.class,
                () -> new SimulatedSysfs(root).write("remoteproc0", Attribute.STATE, "start"));
        assertEquals("EBUSY", busy.errno());
        assertEquals(RemoteprocState.OFFLINE, rp.stop("remoteproc0").state());
        assertEquals("EINVAL", assertThrows(SysfsException.class,
                () -> new SimulatedSysfs(root).write("remoteproc0", Attribute.STATE, "reboot")).errno());
    }

    @Test
    void start_givesUpAfterTheTimeoutWhenTheProcessorNeverRuns(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Refusal e = assertThrows(Refusal.class, () -> new Remoteprocs(root, startLeaves(root, "offline"))
                .start("m3", M3, FirmwareName.of("m3_fw.mdt"), VALIDATOR, Duration.ofMillis(200)));
        assertEquals("remoteproc2 (m3): not running 0.2 s after start of m3_fw.mdt (state offline)", e.getMessage());
    }

    @Test
    void start_reportsAProcessorThatCrashesWhileBooting(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Refusal e = assertThrows(Refusal.class, () -> new Remoteprocs(root, startLeaves(root, "crashed"))
                .start("m3", M3, FirmwareName.of("m3_fw.mdt"), VALIDATOR, TIMEOUT));
        assertEquals("remoteproc2 (m3): crashed while starting m3_fw.mdt", e.getMessage());
    }

    @Test
    void start_stagesIntoTheFirmwareClassPathWhenItIsSet(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Files.writeString(root.resolve(FirmwareSearchPath.PATH_PARAMETER), "/vendor/firmware\n");
        Files.createDirectories(root.resolve("vendor/firmware"));
        Remoteprocs.Started s = simulated(root).start("m3", M3, FirmwareName.of("m3_fw.mdt"), VALIDATOR, TIMEOUT);
        assertEquals(root.resolve("vendor/firmware/m3_fw.mdt"), s.staged().getLast());
        assertEquals(RemoteprocState.RUNNING, s.processor().state());
        assertEquals(List.of(".gitkeep"), Files.list(root.resolve("lib/firmware")).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void searchPath_refusesAFirmwareClassPathThatLeavesTheRoot(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Files.writeString(root.resolve(FirmwareSearchPath.PATH_PARAMETER), "/../../etc\n");
        assertTrue(assertThrows(IOException.class, () -> FirmwareSearchPath.of(root)).getMessage().contains("leaves the root"));
    }

    @Test
    void stage_refusesADirectoryLinkThatLeadsOutOfTheSearchPath(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("lib/firmware/evil"), outside);
        try (FirmwareImage image = FirmwareImage.open(M3)) {
            UsageFailure e = assertThrows(UsageFailure.class,
                    () -> simulated(root).stage(image, FirmwareName.of("evil/deeper/m3_fw.mdt")));
            assertTrue(e.getMessage().contains("which is not a directory inside"), e.getMessage());
        }
        assertEquals(List.of(), Files.list(outside).toList());
    }

    @Test
    void get_findsAProcessorByDirectoryOrNameAndRefusesToGuess(@TempDir Path dir) throws Exception {
        Path root = FakeBoard.copy(dir);
        Remoteprocs rp = simulated(root);
        assertEquals("q6v5-wcss", rp.get("remoteproc1").name());
        assertEquals("remoteproc1", rp.get("q6v5-wcss").id());
        assertEquals("no remote processor named 'modem' (have: remoteproc0 (wpss), remoteproc1 (q6v5-wcss), remoteproc2 (m3))",
                assertThrows(UsageFailure.class, () -> rp.get("modem")).getMessage());
        FakeBoard.copyTree(root.resolve("sys/class/remoteproc/remoteproc2"), root.resolve("sys/class/remoteproc/remoteproc7"));
        assertEquals("'m3' names remoteproc2, remoteproc7: give the remoteprocN directory instead",
                assertThrows(UsageFailure.class, () -> rp.get("m3")).getMessage());
    }

    /** The simulated kernel, except that a processor is left in {@code state} right after "start" (a hang, a crash). */
    private static RemoteprocSysfs startLeaves(Path root, String state) {
        return new SimulatedSysfs(root) {
            @Override
            public void write(String processor, Attribute attribute, String value) throws IOException {
                super.write(processor, attribute, value);
                if (attribute == Attribute.STATE && value.equals("start")) {
                    new FileSysfs(root).write(processor, Attribute.STATE, state);
                }
            }
        };
    }
}
