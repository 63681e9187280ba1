package dev.mdtload.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdtload.address.Device;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.ReservedMemory;
import dev.mdtload.failure.Refusal;
import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.scm.Host;
import dev.mdtload.scm.PasCall;
import dev.mdtload.scm.PasClient;
import dev.mdtload.scm.PasCommand;
import dev.mdtload.scm.RecordingSecureMonitor;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.scm.ScmException;
import dev.mdtload.scm.ScmResult;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SecureWorldSetup;
import dev.mdtload.scm.SimSecureMonitor;
import dev.mdtload.scm.SimSecureMonitor.PeripheralState;
import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.ForwardingSecureMonitor;
import dev.mdtload.testing.MappingAtBridge;
import dev.mdtload.testing.RealImage;
import dev.mdtload.testing.SimProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A load when Linux runs at EL2 with no hypervisor, against the simulated secure world told so:
 * the resource table fetched through SCM 0x21, the loader's own mapping of the carveout gone
 * before auth_and_reset, the carveout mapped 1:1 for the remote processor, and an SHM bridge
 * around auth_and_reset. The simulation refuses auth_and_reset while any mapping of the carveout
 * other than its own is alive in the process, which is what makes the unmap observable.
 */
@EnabledOnOs(OS.LINUX)
class LoaderEl2Test {
    private static final int PAS_ID = 6;
    private static final PhysAddr LOW_METADATA = PhysAddr.of(0x4000_0000L);
    private static final Device WPSS = new Device("wpss");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path carveout;

    private LoadRequest request(RealImage image, IommuMap iommu) {
        carveout = dir.resolve("carveout.bin");
        return new LoadRequest(image.path(), new CarveoutSpec.File(carveout), new Target.Phys(PhysAddr.of(image.minAddress)),
                image.loadSize, PAS_ID, iommu, Path.of("/"), ReservedMemory.NONE);
    }

    private static IommuMap identityOver(RealImage image) {
        return new IommuMap(List.of(IommuMap.Window.identity(WPSS, image.minAddress, image.loadSize)));
    }

    private static List<String> names(LoadResult result) {
        return result.steps().stream().map(LoadResult.Step::name).toList();
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"WPSS", "VENUS"})
    void execute_atEl2_fetchesTheTable_unmapsBeforeAuth_bridgesAroundIt_andTheProcessorRuns(RealImage image)
            throws Exception {
        SimProbe probe = SimProbe.watching(PAS_ID);
        LoadResult result;
        try (LoadPlan plan = Loader.plan(request(image, identityOver(image)));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(LOW_METADATA, List.of(plan.peripheral())),
                     Host.EL2)) {
            SecureMonitor monitor = probe.apply(sim);
            result = new Loader(monitor, new PasClient(monitor, ScmConvention.SMC64), Host.EL2).execute(plan);
            assertEquals(PeripheralState.RUNNING, sim.state(PAS_ID));
        }
        List<String> loaded = image.relocatable
                ? List.of("validate", "rsc_table", "init_image", "mem_setup", "copy")
                : List.of("validate", "rsc_table", "init_image", "copy");
        List<String> expected = new ArrayList<>(loaded);
        expected.addAll(List.of("unmap", "iommu_map", "shm_bridge_create", "auth_and_reset", "shm_bridge_delete"));
        assertEquals(expected, names(result));
        List<PasCommand> calls = new ArrayList<>(List.of(PasCommand.GET_RSC_TABLE, PasCommand.INIT_IMAGE));
        if (image.relocatable) {
            calls.add(PasCommand.MEM_SETUP);
        }
        calls.addAll(List.of(PasCommand.SHM_BRIDGE_CREATE, PasCommand.AUTH_AND_RESET, PasCommand.SHM_BRIDGE_DELETE));
        assertEquals(calls, probe.commands());
        // the device's address is the physical one's number, typed as the device's
        String base = Long.toHexString(image.minAddress);
        assertEquals("DMA 0x" + base + " (device wpss) = phys 0x" + base + " + 0x" + Long.toHexString(image.loadSize),
                step(result, "iommu_map").detail());
        // the simulation answers the empty table the loader hands in, as version 1
        assertEquals("resource table of 16 bytes, 0 entries", step(result, "rsc_table").detail());
        ExpectedCarveout.of(image.path()).assertLoadedInto(carveout, image.minAddress);
    }

    private static LoadResult.Step step(LoadResult result, String name) {
        return result.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void execute_whenTheLoaderKeepsItsMapping_theEl2SecureWorldRefusesAuth_namingTheCheck_andTheCarveoutIsWiped()
            throws Exception {
        // the loader of a machine with a hypervisor keeps the carveout mapped through auth_and_reset
        RealImage wpss = RealImage.WPSS;
        try (LoadPlan plan = Loader.plan(request(wpss, identityOver(wpss)));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(LOW_METADATA, List.of(plan.peripheral())),
                     Host.EL2)) {
            ScmException refused = assertThrows(ScmException.class,
                    () -> new Loader(sim, new PasClient(sim, ScmConvention.SMC64)).execute(plan));
            assertEquals(PasCommand.AUTH_AND_RESET, refused.command());
            assertInstanceOf(Refusal.class, refused, "exit 4");
            assertTrue(refused.getMessage().contains(": carveout-mapped: the loader still maps 0x9ae00000..0x9c700000"),
                    refused.getMessage());
            assertEquals(PeripheralState.IDLE, sim.state(PAS_ID), "the peripheral is shut down");
        }
        ExpectedCarveout.assertAllZero(carveout);
    }

    @Test
    void execute_atEl2_whenAMappingOfTheCarveoutIsStillAlive_authIsRefused_andTheBridgeIsStillDeleted() throws Exception {
        RealImage wpss = RealImage.WPSS;
        try (LoadPlan plan = Loader.plan(request(wpss, identityOver(wpss)));
             MappingAtBridge mapping = new MappingAtBridge(SimSecureMonitor.open(
                     new SecureWorldSetup(LOW_METADATA, List.of(plan.peripheral())), Host.EL2), carveout)) {
            ScmException refused = assertThrows(ScmException.class,
                    () -> new Loader(mapping, new PasClient(mapping, ScmConvention.SMC64), Host.EL2).execute(plan));
            assertEquals(PasCommand.AUTH_AND_RESET, refused.command());
            assertTrue(refused.getMessage().contains(": carveout-mapped: "), refused.getMessage());
            assertEquals(List.of(PasCommand.GET_RSC_TABLE, PasCommand.INIT_IMAGE, PasCommand.SHM_BRIDGE_CREATE,
                    PasCommand.AUTH_AND_RESET, PasCommand.SHM_BRIDGE_DELETE, PasCommand.SHUTDOWN), mapping.commands());
            assertEquals(PeripheralState.IDLE, mapping.simulation().state(PAS_ID));
        }
        ExpectedCarveout.assertAllZero(carveout);
    }

    /** What a faulty secure world makes of the loader's bridge: none at all, or one over half the carveout. */
    enum Bridge { NONE, HALF }

    @ParameterizedTest
    @EnumSource(Bridge.class)
    void execute_atEl2_withoutABridgeOverTheWholeImage_authIsRefused_namingTheMissingBridge(Bridge bridge)
            throws Exception {
        RealImage wpss = RealImage.WPSS;
        try (LoadPlan plan = Loader.plan(request(wpss, identityOver(wpss)));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(LOW_METADATA, List.of(plan.peripheral())),
                     Host.EL2)) {
            SecureMonitor faulty = new ForwardingSecureMonitor(sim) {
                @Override
                public ScmResult call(ScmConvention convention, PasCall call) throws IOException, Failure {
                    return switch (call) {
                        case PasCall.ShmBridgeCreate b when bridge == Bridge.HALF ->
                                sim.call(convention, new PasCall.ShmBridgeCreate(b.pasId(), b.base(), b.size() / 2));
                        case PasCall.ShmBridgeCreate ignored -> ScmResult.success(0);
                        case PasCall.ShmBridgeDelete ignored when bridge == Bridge.NONE -> ScmResult.success(0);
                        default -> sim.call(convention, call);
                    };
                }
            };
            ScmException refused = assertThrows(ScmException.class,
                    () -> new Loader(faulty, new PasClient(faulty, ScmConvention.SMC64), Host.EL2).execute(plan));
            assertTrue(refused.getMessage().contains(": shm-bridge-missing: no SHM bridge covers 0x9ae00000..0x9c700000"),
                    refused.getMessage());
            assertEquals(PeripheralState.IDLE, sim.state(PAS_ID));
        }
    }

    @Test
    void execute_atEl2_withoutAnIdentityWindowOverTheCarveout_isAUsageError_beforeAnythingIsCreatedOrCalled()
            throws Exception {
        RealImage wpss = RealImage.WPSS;
        IommuMap translated = new IommuMap(List.of(new IommuMap.Translated(WPSS, 0x1000_0000L,
                PhysAddr.of(wpss.minAddress), wpss.loadSize)));
        try (LoadPlan plan = Loader.plan(request(wpss, translated));
             SimSecureMonitor sim = SimSecureMonitor.open(new SecureWorldSetup(LOW_METADATA, List.of(plan.peripheral())),
                     Host.EL2)) {
            UsageFailure e = assertThrows(UsageFailure.class,
                    () -> new Loader(sim, new PasClient(sim, ScmConvention.SMC64), Host.EL2).execute(plan));
            assertEquals("no identity window holds phys 0x9ae00000 (+0x1900000); declare the remote processor's with "
                    + "--iommu-map DEVICE:identity=0x9ae00000+0x1900000", e.getMessage());
            assertEquals(0, sim.callCount());
        }
        assertFalse(Files.exists(carveout));
    }

    @Test
    void execute_atEl2_recorded_showsTheBridgeAroundAuth_inItsWireForm() throws Exception {
        RealImage wpss = RealImage.WPSS;
        StringWriter record = new StringWriter();
        LoadResult result;
        try (LoadPlan plan = Loader.plan(request(wpss, identityOver(wpss)));
             RecordingSecureMonitor recorder = new RecordingSecureMonitor(record, LOW_METADATA)) {
            result = new Loader(recorder, new PasClient(recorder, ScmConvention.SMC64), Host.EL2).execute(plan);
        }
        List<JsonNode> calls = new ArrayList<>();
        for (String line : record.toString().split("\n")) {
            calls.add(JSON.readTree(line));
        }
        assertEquals(List.of("get_rsc_table", "init_image", "shm_bridge_create", "auth_and_reset", "shm_bridge_delete"),
                calls.stream().map(c -> c.get("call").asText()).toList());
        assertEquals(List.of("unmap", "iommu_map", "shm_bridge_create", "auth_and_reset", "shm_bridge_delete"),
                names(result).subList(4, 9));
        // (pas id, input RO, size, output RW, size): arginfo 5 | RO << 6 | RW << 10, the last two in the buffer at a5
        JsonNode table = calls.get(0);
        assertEquals("0x42000221", table.get("function_id").asText());
        assertEquals("0x845", table.get("arginfo").asText());
        assertEquals("0010004000000000" + "0040000000000000" + "0".repeat(80), table.get("ext_args").asText());
        // pfn and ipfn with RW (6) in their low bits, the size with one VM (1 << 9), VMID_HLOS
        JsonNode bridge = calls.get(2);
        assertEquals("0x42000c1e", bridge.get("function_id").asText());
        assertEquals(List.of("0x42000c1e", "0x4", "0x9ae00006", "0x9ae00006", "0x1900200", "0x3", "0x0", "0x0"),
                JSON.convertValue(bridge.get("registers"), List.class));
        assertEquals("0x42000c1d", calls.get(4).get("function_id").asText());
    }
}
