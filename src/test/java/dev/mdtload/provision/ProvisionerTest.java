package dev.mdtload.provision;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.Refusal;
import dev.mdtload.rproc.Attribute;
import dev.mdtload.rproc.RemoteprocSysfs;
import dev.mdtload.rproc.SimulatedSysfs;
import dev.mdtload.scm.ScmException;
import dev.mdtload.scm.ScmResult;
import dev.mdtload.scm.PasCall;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SecureWorldSetup;
import dev.mdtload.scm.SimSecureMonitor;
import dev.mdtload.scm.SimSecureMonitor.PeripheralState;
import dev.mdtload.testing.BoardCopy;
import dev.mdtload.testing.ForwardingSecureMonitor;
import dev.mdtload.testing.Manifests;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import dev.mdtload.testing.SimProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvisionerTest {
    private static final int WPSS_PAS = 6;
    private static final int VENUS_PAS = 9;
    private static final int M3_PAS = 13;

    private static Report provision(Path root, Path manifest, Drivers drivers, List<ReportStep> progress) throws Exception {
        Manifest m = ManifestReader.read(manifest);
        try (Plan plan = Plan.of(m, root, false)) {
            assertTrue(plan.ready(), plan.problems().toString());
            return Provisioner.run(plan, drivers, progress::add);
        }
    }

    /** The steps of one processor in one phase, by name. */
    private static List<String> steps(Report report, String processor, String phase) {
        return report.steps().stream().filter(s -> s.processor().equals(new ReportStep.Processor(processor)) && s.phase().equals(phase))
                .map(s -> s.step() + " " + s.result()).toList();
    }

    private static Map<String, String> states(Report report) {
        Map<String, String> states = new TreeMap<>();
        report.processors().forEach(p -> states.put(p.name(), p.state()));
        return states;
    }

    /**
     * The simulated secure world, with one byte of the carveout in the stand-in for /dev/mem
     * flipped just before the third auth_and_reset (SimProbe flips before every one, and the
     * first two must pass): the secure world's own digest check refuses it,
     * as it would refuse memory changed behind the loader's back. Remembers what the secure world
     * said about each peripheral then, and as it closed.
     */
    private static final class CorruptThirdAuth extends ForwardingSecureMonitor {
        private final Path mem;
        private final long corruptAt;
        private int auths;
        final Map<Integer, PeripheralState> atThirdAuth = new TreeMap<>();
        final Map<Integer, PeripheralState> atClose = new TreeMap<>();

        CorruptThirdAuth(SimSecureMonitor sim, Path mem, long corruptAt) {
            super(sim);
            this.mem = mem;
            this.corruptAt = corruptAt;
        }

        @Override
        public ScmResult call(ScmConvention convention, PasCall call) throws IOException, Failure {
            if (call instanceof PasCall.AuthAndReset && ++auths == 3) {
                List.of(WPSS_PAS, VENUS_PAS, M3_PAS).forEach(id -> atThirdAuth.put(id, sim.state(id)));
                SimProbe.invertByte(mem, corruptAt);
            }
            return sim.call(convention, call);
        }

        @Override
        public void close() throws IOException {
            List.of(WPSS_PAS, VENUS_PAS, M3_PAS).forEach(id -> atClose.put(id, sim.state(id)));
            sim.close();
        }
    }

    /** Opens the secure world a run asks for, as the test makes it. */
    @FunctionalInterface
    private interface SecureWorlds {
        SecureMonitor open(SecureWorldSetup setup) throws IOException;
    }

    /** The manifest's drivers, with the secure world and sysfs as the test makes them. */
    private record TestDrivers(SecureWorlds secureWorlds, RemoteprocSysfs sysfs) implements Drivers {
        @Override
        public SecureMonitor secureWorld(SecureWorldSetup setup) throws IOException {
            return secureWorlds.open(setup);
        }

        @Override
        public RemoteprocSysfs sysfs(Path ignored) {
            return sysfs;
        }
    }

    @Test
    void run_whenTheThirdAuthIsRefused_stopsTheFirstTwoAndLeavesEveryCarveoutZero(@TempDir Path dir) throws Exception {
        Path root = BoardCopy.create(dir);
        Path manifest = Manifests.write(dir,
                Manifests.scm("wpss", RealImage.WPSS, "reserved:wpss", WPSS_PAS),
                Manifests.scm("venus", RealImage.VENUS, "reserved:venus", VENUS_PAS),
                Manifests.scm("m3", RealImage.M3_FW, "reserved:m3", M3_PAS));
        // a byte m3 really loads: the first of its first segment with file bytes, at its own p_paddr (fixed image)
        RawElf.Phdr loaded = RealImage.M3_FW.raw().phdrs().stream()
                .filter(p -> p.type() == 1 && p.filesz() > 0).findFirst().orElseThrow();
        List<CorruptThirdAuth> opened = new ArrayList<>();
        SecureWorlds corrupting = setup -> {
            CorruptThirdAuth monitor = new CorruptThirdAuth(SimSecureMonitor.open(setup), root.resolve(BoardCopy.DEV_MEM),
                    loaded.paddr());
            opened.add(monitor);
            return monitor;
        };
        List<ReportStep> progress = new ArrayList<>();

        Report report = provision(root, manifest, new TestDrivers(corrupting, new SimulatedSysfs(root)), progress);
        CorruptThirdAuth monitor = opened.getFirst();

        assertEquals(PeripheralState.RUNNING, monitor.atThirdAuth.get(WPSS_PAS), "wpss ran before the failure");
        assertEquals(PeripheralState.RUNNING, monitor.atThirdAuth.get(VENUS_PAS), "venus ran before the failure");
        assertEquals(Map.of(WPSS_PAS, PeripheralState.IDLE, VENUS_PAS, PeripheralState.IDLE, M3_PAS, PeripheralState.IDLE),
                monitor.atClose, "every peripheral was shut down before the secure world closed");
        Report.FailedStep failure = report.failed().orElseThrow();
        assertEquals("m3", failure.processor());
        assertEquals("auth_and_reset", failure.step());
        ScmException refused = assertInstanceOf(ScmException.class, failure.cause());
        assertEquals(ScmResult.ERROR, refused.status(), "the simulated secure world's digest mismatch status");
        assertEquals(List.of("venus", "wpss"), report.rolledBack(), "newest first");
        assertEquals(Map.of("wpss", "stopped", "venus", "stopped", "m3", "failed"), states(report));
        assertEquals(List.of("init_image ok", "copy ok", "auth_and_reset failed"), steps(report, "m3", "run"));
        assertEquals(List.of("wipe ok", "shutdown ok"), steps(report, "m3", "rollback"), "the loader's own undo");
        assertEquals(List.of("shutdown ok", "wipe ok"), steps(report, "venus", "rollback"));
        assertEquals(List.of("shutdown ok", "wipe ok"), steps(report, "wpss", "rollback"));
        for (BoardCopy.Region r : List.of(BoardCopy.WPSS, BoardCopy.VENUS, BoardCopy.M3)) {
            assertEquals(-1, BoardCopy.firstNonZero(root, r), r.name() + " carveout wiped");
        }
        assertEquals(report.steps().stream().filter(s -> !s.phase().equals("plan")).toList(), progress,
                "progress heard every run and rollback step as it ended");
    }

    /**
     * The simulated secure world of an EL2 board, which maps venus's region of /dev/mem's stand-in
     * at venus's SHM bridge, as someone behind the loader's back would, and keeps it mapped to the
     * end: the secure world then refuses venus's auth_and_reset, as the hardware would fault.
     */
    private static final class MapsVenusAtItsBridge extends ForwardingSecureMonitor {
        private final Path mem;
        private final Arena arena = Arena.ofShared();
        final Map<Integer, PeripheralState> atClose = new TreeMap<>();

        MapsVenusAtItsBridge(SimSecureMonitor sim, Path mem) {
            super(sim);
            this.mem = mem;
        }

        @Override
        public ScmResult call(ScmConvention convention, PasCall call) throws IOException, Failure {
            if (call instanceof PasCall.ShmBridgeCreate && call.pasId() == VENUS_PAS) {
                try (FileChannel channel = FileChannel.open(mem, StandardOpenOption.READ)) {
                    channel.map(FileChannel.MapMode.READ_ONLY, BoardCopy.VENUS.base(), BoardCopy.VENUS.size(), arena);
                }
            }
            return sim.call(convention, call);
        }

        @Override
        public void close() throws IOException {
            List.of(WPSS_PAS, VENUS_PAS).forEach(id -> atClose.put(id, sim.state(id)));
            arena.close();
            sim.close();
        }
    }

    @Test
    void run_atEl2_whenVenusAuthIsRefused_theBridgeIsDeleted_andWpssAndVenusAreStoppedAndWiped(@TempDir Path dir)
            throws Exception {
        Path root = BoardCopy.create(dir);
        Path manifest = Files.writeString(dir.resolve("el2.yaml"), Manifests.FAKE_BOARD + "host: el2\n"
                + "iommu_map: ['wpss:identity=0x9ae00000+0x1900000', 'venus:identity=0x8b200000+0x500000']\n"
                + "processors:\n"
                + Manifests.scm("wpss", RealImage.WPSS, "reserved:wpss", WPSS_PAS) + "\n"
                + Manifests.scm("venus", RealImage.VENUS, "reserved:venus", VENUS_PAS) + "\n");
        // the secure world the manifest's settings open: told that Linux runs at EL2
        Drivers settings = Drivers.of(ManifestReader.read(manifest).settings(), false, new StringWriter());
        List<MapsVenusAtItsBridge> opened = new ArrayList<>();
        SecureWorlds mapping = setup -> {
            MapsVenusAtItsBridge monitor = new MapsVenusAtItsBridge((SimSecureMonitor) settings.secureWorld(setup),
                    root.resolve(BoardCopy.DEV_MEM));
            opened.add(monitor);
            return monitor;
        };

        Report report = provision(root, manifest, new TestDrivers(mapping, new SimulatedSysfs(root)), new ArrayList<>());

        Report.FailedStep failure = report.failed().orElseThrow();
        assertEquals("venus", failure.processor());
        assertEquals("auth_and_reset", failure.step());
        ScmException refused = assertInstanceOf(ScmException.class, failure.cause());
        assertInstanceOf(Refusal.class, refused, "exit 4");
        assertTrue(refused.getMessage().contains(": carveout-mapped: the loader still maps 0x8b200000..0x8b6ff020"),
                refused.getMessage());
        assertEquals(List.of("rsc_table ok", "init_image ok", "mem_setup ok", "copy ok", "unmap ok", "iommu_map ok",
                "shm_bridge_create ok", "auth_and_reset failed"), steps(report, "venus", "run"));
        // the bridge goes whether or not auth passed; the carveout is reopened to be wiped, its mapping gone at unmap
        assertEquals(List.of("shm_bridge_delete ok", "wipe ok", "shutdown ok"), steps(report, "venus", "rollback"));
        assertEquals(List.of("shutdown ok", "wipe ok"), steps(report, "wpss", "rollback"));
        assertEquals(List.of("wpss"), report.rolledBack());
        assertEquals(Map.of("wpss", "stopped", "venus", "failed"), states(report));
        assertEquals(Map.of(WPSS_PAS, PeripheralState.IDLE, VENUS_PAS, PeripheralState.IDLE), opened.getFirst().atClose);
        for (BoardCopy.Region r : List.of(BoardCopy.WPSS, BoardCopy.VENUS)) {
            assertEquals(-1, BoardCopy.firstNonZero(root, r), r.name() + " carveout wiped");
        }
    }

    @Test
    void run_whenARemoteprocCrashes_stopsWhatStartedBeforeItAndDoesNotStopTheCrashedOne(@TempDir Path dir) throws Exception {
        Path root = BoardCopy.create(dir);
        Path manifest = Manifests.write(dir,
                Manifests.scm("wpss", RealImage.WPSS, "reserved:wpss", WPSS_PAS),
                Manifests.remoteproc("q6", RealImage.Q6_FW, "reserved:q6", "q6v5-wcss", "ath11k/IPQ8074/hw2.0/q6_fw.mdt"),
                Manifests.remoteproc("m3", RealImage.M3_FW, "reserved:m3", "m3", "ath11k/IPQ8074/hw2.0/m3_fw.mdt"));
        // the kernel's answer to a processor that dies while booting: state reads crashed
        SimulatedSysfs crashingM3 = new SimulatedSysfs(root) {
            @Override
            public void write(String processor, Attribute attribute, String value) throws IOException {
                if (processor.equals("remoteproc2") && attribute == Attribute.STATE && value.equals("start")) {
                    Files.writeString(root.resolve("sys/class/remoteproc/remoteproc2/state"), "crashed\n");
                    return;
                }
                super.write(processor, attribute, value);
            }
        };

        Report report = provision(root, manifest, new TestDrivers(SimSecureMonitor::open,
                crashingM3), new ArrayList<>());

        Report.FailedStep failure = report.failed().orElseThrow();
        assertEquals("m3", failure.processor());
        assertEquals("boot", failure.step());
        assertTrue(failure.message().contains("crashed"), failure.message());
        assertEquals(List.of("q6", "wpss"), report.rolledBack());
        assertEquals(Map.of("wpss", "stopped", "q6", "stopped", "m3", "failed"), states(report));
        assertEquals(List.of("stop skipped"), steps(report, "m3", "rollback"), "crashed: the kernel refuses stop");
        assertEquals(List.of("stop ok"), steps(report, "q6", "rollback"));
        assertEquals("offline", Files.readString(root.resolve("sys/class/remoteproc/remoteproc1/state"),
                StandardCharsets.UTF_8).strip());
        assertEquals(-1, BoardCopy.firstNonZero(root, BoardCopy.WPSS));
        assertFalse(report.refused());
    }
}
