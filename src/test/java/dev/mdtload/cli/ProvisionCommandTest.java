package dev.mdtload.cli;

import dev.mdtload.failure.Refusal;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.provision.Drivers;
import dev.mdtload.provision.ManifestReader;
import dev.mdtload.provision.Plan;
import dev.mdtload.provision.Provisioner;
import dev.mdtload.provision.Report;
import dev.mdtload.rproc.Attribute;
import dev.mdtload.rproc.RemoteprocSysfs;
import dev.mdtload.rproc.SimulatedSysfs;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SecureWorldSetup;
import dev.mdtload.testing.BoardCopy;
import dev.mdtload.testing.FakeBoard;
import dev.mdtload.testing.Manifests;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvisionCommandTest {
    private static final Path SHIPPED = FakeBoard.SAMPLES.resolve("board/manifest.yaml");
    private static final String WPSS = Manifests.scm("wpss", RealImage.WPSS, "reserved:wpss", 6);
    /** The board-wide lock's file under the root (provision.ProvisionLock.FILE). */
    private static final String LOCK = "run/lock/mdtload-provision.lock";

    @TempDir
    Path dir;
    Path root;

    @BeforeEach
    void board() {
        root = BoardCopy.create(dir);
    }

    private static JsonNode json(String text) throws IOException {
        return CliRun.result(text);
    }

    private String sysfs(String processor, String attribute) throws IOException {
        return Files.readString(root.resolve("sys/class/remoteproc").resolve(processor).resolve(attribute),
                StandardCharsets.UTF_8).strip();
    }

    /** The run and rollback steps of one processor, {@code step result}, as the JSON report lists them. */
    private static List<String> steps(JsonNode report, String processor, String phase) {
        List<String> steps = new ArrayList<>();
        for (JsonNode s : report.get("steps")) {
            if (processor.equals(s.get("processor").asText()) && phase.equals(s.get("phase").asText())) {
                steps.add(s.get("step").asText() + " " + s.get("result").asText());
            }
        }
        return steps;
    }

    /** Where the README's load rules put each loadable segment of {@code image} in a carveout at {@code base}. */
    private void assertLoaded(RealImage image, long carveoutBase) throws IOException {
        for (RawElf.Phdr p : image.raw().phdrs()) {
            if (!p.isLoadable()) {
                continue;
            }
            long at = image.relocatable ? carveoutBase + (p.paddr() - image.minAddress) : p.paddr();
            assertArrayEquals(image.segmentBytes(p.index()), BoardCopy.memory(root, at, Math.toIntExact(p.filesz())),
                    image + " segment " + p.index() + " at 0x" + Long.toHexString(at));
        }
    }

    @Test
    void provision_bringsUpTheFakeBoardFromTheShippedManifest() throws IOException {
        Path reportFile = dir.resolve("report.json");
        CliRun run = CliRun.of("provision", SHIPPED.toString(), "--root", root.toString(), "--json",
                "--report", reportFile.toString());

        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
        JsonNode report = json(run.out());
        assertEquals(0, report.get("exit_code").asInt());
        assertEquals("ok", report.get("outcome").asText());
        // the kernel's PAS order; mem_setup only for relocatable venus (README of ../shared/firmware)
        assertEquals(List.of("init_image ok", "copy ok", "auth_and_reset ok"), steps(report, "wpss", "run"));
        assertEquals(List.of("init_image ok", "mem_setup ok", "copy ok", "auth_and_reset ok"), steps(report, "venus", "run"));
        assertEquals(List.of("stage ok", "boot ok"), steps(report, "q6", "run"));
        assertEquals(List.of("stage ok", "boot ok"), steps(report, "m3", "run"));
        for (JsonNode p : report.get("processors")) {
            assertEquals("running", p.get("state").asText(), p.toString());
        }
        assertEquals(run.out(), Files.readString(reportFile), "--report holds the same document");

        assertLoaded(RealImage.WPSS, BoardCopy.WPSS.base());
        assertLoaded(RealImage.VENUS, BoardCopy.VENUS.base());
        assertEquals("running", sysfs("remoteproc1", "state"));
        assertEquals("ath11k/IPQ8074/hw2.0/q6_fw.mdt", sysfs("remoteproc1", "firmware"));
        assertEquals("running", sysfs("remoteproc2", "state"));
        assertEquals("offline", sysfs("remoteproc0", "state"), "wpss went through the secure world, not remoteproc");
        Path staged = root.resolve("lib/firmware/ath11k/IPQ8074/hw2.0");
        for (RealImage image : List.of(RealImage.Q6_FW, RealImage.M3_FW)) {
            for (Path f : image.files()) {
                assertEquals(-1, Files.mismatch(f, staged.resolve(f.getFileName())), f + " staged byte for byte");
            }
        }
    }

    /** One thing wrong with a manifest, and what the one problem line must say about it. */
    enum Refusal {
        BROKEN_IMAGE("venus", "[digest-mismatch]"),
        OVERLAPPING_CARVEOUT("venus", "overlaps processor wpss's carveout reserved:wpss [0x9ae00000, 0x9c700000) in "
                + "[0x9b000000, 0x9b500000)"),
        TOO_SMALL_CARVEOUT("venus", "outside the carveout 0x4b000000..0x4b100000 (this and 1 more): the image spans "
                + "0x4ff020 bytes from its base; use --size 0x500000 (its load size) [segment-outside-carveout]"),
        FIRMWARE_NAME_WITH_DOTDOT("m3", "firmware name '../../etc/m3_fw.mdt' has a '..' component"),
        ABSOLUTE_FIRMWARE_NAME("q6", "firmware name '/lib/firmware/q6_fw.mdt' is absolute"),
        MISSING_RESERVED_NODE("venus", "carveout reserved:modem: the board has no reserved-memory region named 'modem'");

        final String processor;
        final String says;

        Refusal(String processor, String says) {
            this.processor = processor;
            this.says = says;
        }

        String entry(Path dir) throws IOException {
            return switch (this) {
                case BROKEN_IMAGE -> Manifests.scm("venus", brokenVenus(dir), "reserved:venus", 9);
                case OVERLAPPING_CARVEOUT -> Manifests.scm("venus", RealImage.VENUS,
                        "{spec: devmem, phys: 0x9b000000, size: 0x500000}", 9);
                case TOO_SMALL_CARVEOUT -> Manifests.scm("venus", RealImage.VENUS, "reserved:m3", 9);
                case FIRMWARE_NAME_WITH_DOTDOT -> Manifests.remoteproc("m3", RealImage.M3_FW, null, "m3", "../../etc/m3_fw.mdt");
                case ABSOLUTE_FIRMWARE_NAME -> Manifests.remoteproc("q6", RealImage.Q6_FW, null, "q6v5-wcss",
                        "/lib/firmware/q6_fw.mdt");
                case MISSING_RESERVED_NODE -> Manifests.scm("venus", RealImage.VENUS, "reserved:modem", 9);
            };
        }

        /** venus.mbn with one byte of its first loadable segment flipped: its digest no longer matches. */
        private static Path brokenVenus(Path dir) throws IOException {
            Path copy = RealImage.VENUS.copyTo(dir.resolve("broken"));
            RawElf.Phdr p = RealImage.VENUS.raw().phdrs().stream()
                    .filter(h -> h.type() == 1 && h.filesz() > 0).findFirst().orElseThrow();
            byte[] bytes = Files.readAllBytes(copy);
            bytes[(int) p.offset()] ^= 1;
            Files.write(copy, bytes);
            return copy;
        }
    }

    @ParameterizedTest
    @EnumSource(Refusal.class)
    void provision_refusesAManifestWithOneProblemBeforeWritingAnything(Refusal refusal) throws IOException {
        Path manifest = Manifests.write(dir, WPSS, refusal.entry(dir));
        Map<String, String> before = BoardCopy.snapshot(root);

        CliRun run = CliRun.of("provision", manifest.toString(), "--root", root.toString(), "--json");

        assertEquals(1, run.exit(), run.err());
        // one line per problem: a carveout too small is one, however many segments fall outside it
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        for (String line : lines) {
            // the entry's line: 3 lines of settings, a blank one, processors:, then wpss on 6
            assertTrue(line.startsWith("mdtload: " + manifest + ":7: processor " + refusal.processor + ": "), line);
            assertTrue(line.contains(refusal.says), line);
        }
        assertEquals(before, BoardCopy.snapshot(root), "nothing under the root was written");
        JsonNode report = json(run.out());
        assertEquals(1, report.get("exit_code").asInt());
        assertEquals(lines.stream().map(l -> l.substring("mdtload: ".length())).toList(),
                Json.MAPPER.convertValue(report.get("problems"), List.class));
        for (JsonNode p : report.get("processors")) {
            assertEquals("not_started", p.get("state").asText());
        }
    }

    /**
     * wpss squashed into one file: its bss header lies past the file's end, which Debian's 6.1.192
     * took as a split image (-ENOENT loading wpss.b02); 6.12.95 loads such images.
     */
    @Test
    void provision_judgesTheImagesByTheManifestsKernel_orByKernel() throws Exception {
        Path squashed = dir.resolve("wpss.mbn");
        dev.mdtload.squash.Squasher.squash(RealImage.WPSS.path(), squashed, false);
        String entry = Manifests.scm("wpss", squashed.toAbsolutePath(), "reserved:wpss", 6);
        Path manifest = Manifests.write(dir, entry);
        Files.writeString(manifest, "kernel: 6.1.192\n" + Files.readString(manifest));
        Map<String, String> before = BoardCopy.snapshot(root);

        CliRun old = CliRun.of("provision", manifest.toString(), "--root", root.toString(), "--dry-run");
        assertEquals(1, old.exit(), old::toString);
        assertTrue(old.err().contains("[taken-as-split]") && old.err().contains("wpss.b02"), old::toString);
        assertEquals(before, BoardCopy.snapshot(root));

        CliRun newer = CliRun.of("provision", manifest.toString(), "--root", root.toString(), "--dry-run",
                "--kernel", "6.12.95");
        assertEquals(0, newer.exit(), newer::toString);
    }

    @Test
    void provision_listsEveryProblemOfAManifestOneLineEach() throws IOException {
        // every refusal's entry at once, renamed and with pas ids of their own so they clash in nothing else
        List<String> entries = new ArrayList<>(List.of(WPSS));
        for (Refusal r : Refusal.values()) {
            entries.add(r.entry(dir).replace("name: " + r.processor, "name: " + r.name().toLowerCase())
                    .replace("pas_id: 9", "pas_id: " + (20 + r.ordinal())));
        }
        Path manifest = Manifests.write(dir, entries.toArray(String[]::new));
        Map<String, String> before = BoardCopy.snapshot(root);

        CliRun run = CliRun.of("provision", manifest.toString(), "--root", root.toString());

        assertEquals(1, run.exit(), run.err());
        List<String> lines = run.err().lines().toList();
        long listed = 0;
        for (Refusal r : Refusal.values()) {
            long found = lines.stream().filter(l -> l.contains("processor " + r.name().toLowerCase() + ": ")
                    && l.contains(r.says)).count();
            assertTrue(found >= 1, r + " in " + run.err());
            listed += found;
        }
        assertEquals(listed, lines.size(), "no other line: " + run.err());
        assertEquals(before, BoardCopy.snapshot(root));
    }

    @Test
    void provision_whenTheSecureWorldRefusesTheThird_stopsTheFirstTwoAndExits4() throws IOException {
        // the simulated secure world has peripherals 0..63 only: it refuses init_image for 99
        Path manifest = Manifests.write(dir, WPSS,
                Manifests.scm("venus", RealImage.VENUS, "reserved:venus", 9),
                Manifests.scm("m3", RealImage.M3_FW, "reserved:m3", 99));

        CliRun run = CliRun.of("provision", manifest.toString(), "--root", root.toString(), "--json");

        assertEquals(4, run.exit(), run.err());
        JsonNode report = json(run.out());
        assertEquals(4, report.get("exit_code").asInt());
        assertEquals("m3", report.get("failure").get("processor").asText());
        assertEquals("init_image", report.get("failure").get("step").asText());
        assertEquals(List.of("venus", "wpss"), Json.MAPPER.convertValue(report.get("rolled_back"), List.class));
        assertEquals(List.of("shutdown ok", "wipe ok"), steps(report, "wpss", "rollback"));
        assertEquals(List.of("shutdown ok", "wipe ok"), steps(report, "venus", "rollback"));
        assertEquals("mdtload: processor m3: init_image failed: secure world refused init_image for pas id 99: "
                + "status -2 (EINVAL); stopped again: venus, wpss\n", run.err());
        for (BoardCopy.Region r : List.of(BoardCopy.WPSS, BoardCopy.VENUS, BoardCopy.M3)) {
            assertEquals(-1, BoardCopy.firstNonZero(root, r), r.name());
        }
    }

    @Test
    void provision_dryRun_rehearsesEverythingAndChangesNothingUnderTheRoot() throws IOException {
        Map<String, String> before = BoardCopy.snapshot(root);
        Path calls = dir.resolve("calls.jsonl");

        CliRun run = CliRun.of("provision", SHIPPED.toString(), "--root", root.toString(), "--dry-run", "--json",
                "--record", calls.toString());

        assertEquals(0, run.exit(), run.err());
        JsonNode report = json(run.out());
        assertTrue(report.get("dry_run").asBoolean());
        assertEquals(List.of("stage ok", "boot ok"), steps(report, "m3", "run"));
        // the scm entries' calls were only written down: the report must not say they run
        assertEquals("recorded", report.get("outcome").asText());
        Map<String, String> states = new java.util.TreeMap<>();
        report.get("processors").forEach(p -> states.put(p.get("name").asText(), p.get("state").asText()));
        assertEquals(Map.of("wpss", "recorded", "venus", "recorded", "q6", "running", "m3", "running"), states);
        assertEquals(before, BoardCopy.snapshot(root));
        List<String> recorded = new ArrayList<>();
        for (String line : Files.readAllLines(calls)) {
            recorded.add(Json.MAPPER.readTree(line).get("call").asText());
        }
        assertEquals(List.of("init_image", "auth_and_reset", "init_image", "mem_setup", "auth_and_reset"), recorded);
    }

    @Test
    void provision_dryRunOfSecureWorldLoadsOnly_takesNoLockAndChangesNothingUnderTheRoot() throws IOException {
        Path manifest = Manifests.write(dir, WPSS);
        Map<String, String> before = BoardCopy.snapshot(root);

        CliRun run = CliRun.of("provision", manifest.toString(), "--root", root.toString(), "--dry-run");

        assertEquals(0, run.exit(), run.err());
        assertFalse(Files.exists(root.resolve(LOCK)), "a dry run takes no lock");
        assertEquals(before, BoardCopy.snapshot(root));
    }

    @Test
    void provision_realRunOfTheSameManifest_takesTheLockFileUnderTheRoot() {
        Path manifest = Manifests.write(dir, WPSS);

        CliRun run = CliRun.of("provision", manifest.toString(), "--root", root.toString());

        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.isRegularFile(root.resolve(LOCK)), "the lock's file stays; the lock went with the run");
    }

    @Test
    void provision_dryRunAsText_saysNothingWasAuthenticated() {
        CliRun run = CliRun.of("provision", SHIPPED.toString(), "--root", root.toString(), "--dry-run");

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("secure-world calls for wpss, venus recorded, not made: nothing was authenticated"),
                run.out());
        assertTrue(run.out().lines().toList().getLast().startsWith("result: recorded (exit 0"), run.out());
    }

    @Test
    void provision_withRecordButNeitherScmRecordNorDryRun_isAUsageErrorBeforeAnythingRuns() throws IOException {
        Map<String, String> before = BoardCopy.snapshot(root);
        Path calls = dir.resolve("calls.jsonl");

        CliRun run = CliRun.of("provision", SHIPPED.toString(), "--root", root.toString(), "--record", calls.toString());

        assertEquals(2, run.exit(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("mdtload: --record " + calls + " needs scm: record"), run.err());
        assertFalse(Files.exists(calls));
        assertEquals(before, BoardCopy.snapshot(root));
    }

    @Test
    void provision_refusesAManifestItCannotReadWithExit2() throws IOException {
        Path manifest = Manifests.write(dir, WPSS.replace("method: scm", "method: scm, retries: 3"));

        CliRun run = CliRun.of("provision", manifest.toString(), "--root", root.toString());

        assertEquals(2, run.exit());
        assertEquals("mdtload: " + manifest + ":6: processors[0].retries: unknown field 'retries' (known: name, image, "
                + "carveout, pas_id, method, remoteproc, firmware, order, companion, after)\n", run.err());
    }

    @Test
    void provision_whileAnotherRunIsStartingProcessors_isRefused() throws Exception {
        Path manifest = Manifests.write(dir,
                Manifests.remoteproc("m3", RealImage.M3_FW, "reserved:m3", "m3", "ath11k/IPQ8074/hw2.0/m3_fw.mdt"));
        CountDownLatch booting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the first run's processor takes its time to boot: the run holds the lock meanwhile
        Drivers slowBoot = new Drivers() {
            @Override
            public SecureMonitor secureWorld(SecureWorldSetup setup) {
                throw new AssertionError("no scm entry, so no secure world");
            }

            @Override
            public RemoteprocSysfs sysfs(Path sysRoot) {
                return new SimulatedSysfs(sysRoot) {
                    @Override
                    public void write(String processor, Attribute attribute, String value) throws IOException {
                        if (attribute == Attribute.STATE && value.equals("start")) {
                            booting.countDown();
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        super.write(processor, attribute, value);
                    }
                };
            }
        };
        ExecutorService first = Executors.newSingleThreadExecutor();
        try {
            Future<Report> firstRun = first.submit(() -> {
                try (Plan plan = Plan.of(ManifestReader.read(manifest), root, false)) {
                    return Provisioner.run(plan, slowBoot, step -> { });
                }
            });
            assertTrue(booting.await(10, TimeUnit.SECONDS), "the first run reached boot");

            CliRun second = CliRun.of("provision", manifest.toString(), "--root", root.toString());
            release.countDown();

            assertEquals(3, second.exit(), second.err());
            assertEquals("mdtload: another mdtload provision is running on " + root + " ("
                    + root.resolve(LOCK) + " is locked); nothing was done: run again when "
                    + "it has finished\n", second.err());
            Report report = firstRun.get(10, TimeUnit.SECONDS);
            assertTrue(report.failed().isEmpty(), String.valueOf(report.failure()));
            assertEquals("running", sysfs("remoteproc2", "state"));
        } finally {
            release.countDown();
            first.shutdownNow();
        }
    }
}
