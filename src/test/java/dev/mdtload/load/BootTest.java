package dev.mdtload.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.ReservedMemory;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.preflight.BoardFacts;
import dev.mdtload.preflight.LiteFirmware;
import dev.mdtload.scm.ImagePolicy;
import dev.mdtload.scm.PasClient;
import dev.mdtload.scm.PasCommand;
import dev.mdtload.scm.RecordingSecureMonitor;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.scm.ScmException;
import dev.mdtload.scm.SecureWorldSetup;
import dev.mdtload.scm.SimSecureMonitor;
import dev.mdtload.scm.SimSecureMonitor.PeripheralState;
import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A processor's boot as x1e80100's ADSP needs it, on real bytes: m3_fw stands in for the main image
 * (PAS id 1) and a650_zap for its DTB companion (PAS id 0x24), each in a file: carveout of its own,
 * with the boot firmware's lite ADSP firmware (0x1f) and lite DTB (0x29) running in the simulation.
 */
@EnabledOnOs(OS.LINUX)
class BootTest {
    private static final PhysAddr METADATA = PhysAddr.of(0x4000_0000L);
    private static final long DTB_BASE = 0x7000_0000L;
    private static final BoardFacts X1E80100 = new BoardFacts(List.of(new BoardFacts.Fact.Soc("x1e80100")));

    @TempDir
    Path dir;

    private LoadPlan main() throws Exception {
        RealImage m3 = RealImage.M3_FW;
        return Loader.plan(new LoadRequest(m3.path(), new CarveoutSpec.File(dir.resolve("adsp.bin")),
                new Target.Phys(PhysAddr.of(m3.minAddress)), m3.loadSize, 1, IommuMap.empty(), dir, ReservedMemory.NONE));
    }

    private LoadPlan dtb() throws Exception {
        return dtbAt(DTB_BASE);
    }

    private LoadPlan dtbAt(long base) throws Exception {
        return Loader.plan(new LoadRequest(RealImage.A650_ZAP.path(), new CarveoutSpec.File(dir.resolve("adsp_dtb.bin")),
                new Target.Phys(PhysAddr.of(base)), 0x10000, 0x24, IommuMap.empty(), dir, ReservedMemory.NONE));
    }

    private static SecureWorldSetup x1e80100(Boot boot) {
        return new SecureWorldSetup(METADATA, boot.peripherals(), ImagePolicy.NONE, LiteFirmware.running(X1E80100));
    }

    /** Whether {@code file} holds no byte but zero (or does not exist). */
    private static boolean allZero(Path file) throws IOException {
        if (!Files.exists(file)) {
            return true;
        }
        for (byte b : Files.readAllBytes(file)) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void theTable_givesX1e80100sAdspTheKernelsTwoLiteIds_andNoOtherProcessorAny() {
        assertEquals(List.of(0x1fL, 0x29L), LiteFirmware.shutdowns(X1E80100, 1));
        assertEquals(List.of(), LiteFirmware.shutdowns(X1E80100, 18), "x1e80100's CDSP has no lite firmware");
        assertEquals(List.of(), LiteFirmware.shutdowns(BoardFacts.NONE, 1), "an unknown SoC: nothing is shut down");
    }

    @Test
    void of_refusesACompanionWhoseCarveoutSharesOnePageWithTheMainOne_beforeEitherIsOpened() throws Exception {
        // m3_fw's carveout is [0x4b000000, 0x4b050000): its load size, 0x50000, from its base
        try (LoadPlan main = main(); LoadPlan dtb = dtbAt(0x4b04_f000L)) {
            UsageFailure refused = assertThrows(UsageFailure.class, () -> Boot.of(List.of(), List.of(dtb), main));
            assertEquals("companion carveout 0x4b04f000..0x4b05f000 overlaps the carveout 0x4b000000..0x4b050000",
                    refused.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("adsp.bin")) || Files.exists(dir.resolve("adsp_dtb.bin")));
    }

    @Test
    void of_acceptsACompanionWhoseCarveoutStartsWhereTheMainOneEnds() throws Exception {
        try (Boot boot = Boot.of(List.of(), List.of(dtbAt(0x4b05_0000L)), main())) {
            assertEquals(List.of(0x24L, 1L), boot.peripherals().stream().map(SecureWorldSetup.Peripheral::pasId).toList());
        }
    }

    @Test
    void boot_recordsBothLiteShutdownsBeforeTheCompanion_andTheCompanionBeforeTheMainImage() throws Exception {
        StringWriter record = new StringWriter();
        try (Boot boot = Boot.of(LiteFirmware.shutdowns(X1E80100, 1), List.of(dtb()), main());
             RecordingSecureMonitor recorder = new RecordingSecureMonitor(record, METADATA)) {
            new Loader(recorder, new PasClient(recorder, ScmConvention.SMC64)).boot(boot, StepListener.NONE);
        }
        List<String> calls = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : record.toString().lines().toList()) {
            JsonNode call = json.readTree(line);
            // SMCCC: a2 carries the first argument, the PAS id of every PIL call
            calls.add(call.get("call").asText() + " " + call.get("registers").get(2).asText());
        }
        assertEquals(List.of("shutdown 0x1f", "shutdown 0x29", "init_image 0x24", "mem_setup 0x24", "auth_and_reset 0x24",
                "init_image 0x1", "auth_and_reset 0x1"), calls);
    }

    @Test
    void boot_withTheLiteShutDownFirst_authenticatesTheCompanionAndTheMainImage() throws Exception {
        try (Boot boot = Boot.of(LiteFirmware.shutdowns(X1E80100, 1), List.of(dtb()), main());
             SimSecureMonitor sim = SimSecureMonitor.open(x1e80100(boot))) {
            Boot.Result result = new Loader(sim, new PasClient(sim, ScmConvention.SMC64)).boot(boot, StepListener.NONE);

            assertEquals(List.of("pas id 31 (0x1f) shut down", "pas id 41 (0x29) shut down"),
                    result.lite().stream().map(LoadResult.Step::detail).toList());
            assertEquals(PeripheralState.RUNNING, sim.state(0x24));
            assertEquals(PeripheralState.RUNNING, sim.state(1));
        }
        ExpectedCarveout.of(RealImage.A650_ZAP.path()).assertLoadedInto(dir.resolve("adsp_dtb.bin"), DTB_BASE);
        ExpectedCarveout.of(RealImage.M3_FW.path()).assertLoadedInto(dir.resolve("adsp.bin"), RealImage.M3_FW.minAddress);
    }

    @Test
    void boot_withoutTheLiteShutdown_isRefusedAtInitImage_namingTheLiteThatStillRuns() throws Exception {
        try (Boot boot = Boot.of(List.of(), List.of(), main());
             SimSecureMonitor sim = SimSecureMonitor.open(x1e80100(boot))) {
            ScmException refused = assertThrows(ScmException.class,
                    () -> new Loader(sim, new PasClient(sim, ScmConvention.SMC64)).boot(boot, StepListener.NONE));

            assertEquals(PasCommand.INIT_IMAGE, refused.command());
            assertEquals(1, refused.pasId());
            assertTrue(refused.getMessage().endsWith(": lite-running: the boot firmware's lite firmware still runs as "
                    + "pas id 31 (0x1f) and holds pas id 1: shut it down first"), refused.getMessage());
            assertEquals(PeripheralState.IDLE, sim.state(1));
        }
        assertTrue(allZero(dir.resolve("adsp.bin")), "refused before a byte was copied");
    }

    @Test
    void boot_whenTheMainImageIsRefused_shutsTheCompanionDownAndZeroesItsCarveout() throws Exception {
        List<String> heard = new ArrayList<>();
        StepListener listener = new StepListener() {
            @Override
            public void finished(LoadResult.Step step) {
                heard.add(step.name() + " ok");
            }

            @Override
            public void failed(String name, long micros, Exception failure) {
                heard.add(name + " failed");
            }
        };
        // the lite firmware is left running: the main image is refused after its companion started
        try (Boot boot = Boot.of(List.of(0x29L), List.of(dtb()), main());
             SimSecureMonitor sim = SimSecureMonitor.open(x1e80100(boot))) {
            assertThrows(ScmException.class,
                    () -> new Loader(sim, new PasClient(sim, ScmConvention.SMC64)).boot(boot, listener));
            assertEquals(PeripheralState.IDLE, sim.state(0x24), "the companion is shut down");
        }
        assertEquals(List.of("lite_shutdown ok", "companion_init_image ok", "companion_mem_setup ok", "companion_copy ok",
                "companion_auth_and_reset ok", "init_image failed", "companion_shutdown ok",
                "companion_wipe ok"), heard);
        assertTrue(allZero(dir.resolve("adsp_dtb.bin")), "the companion's carveout is zeroed");
    }
}
