package dev.mdtload.doctor;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.board.Board;
import dev.mdtload.board.Carveout;
import dev.mdtload.board.Processor;
import dev.mdtload.image.Validator;
import dev.mdtload.kernel.KernelRules;
import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.FakeBoard;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fit of a real image in carveouts placed around it, the numbers worked out from the image by
 * the tests' own ELF reader ({@link ExpectedCarveout}), and what doctor says about odd nodes.
 */
class DoctorTest {
    private static final Path DIR = FakeBoard.FIRMWARE.resolve("qcom/apq8096");
    private static final String MBA = "mba.mbn";
    private static final Path VENUS_DIR = FakeBoard.FIRMWARE.resolve("qcom/venus-5.2");

    @Test
    void fixedImage_fitsACarveoutThatHoldsIt_atItsBaseOrBelow() throws IOException {
        ExpectedCarveout mba = ExpectedCarveout.of(DIR.resolve(MBA));
        assertFalse(mba.relocatable());
        assertEquals(List.of(), rules(DIR, MBA, mba.pageBase(), mba.pagedSize()));
        assertEquals(List.of(), rules(DIR, MBA, mba.pageBase() - 0x100000, mba.pagedSize() + 0x100000));
    }

    @Test
    void fixedImage_startingBeforeItsCarveout_isAnAddressMismatch() throws IOException {
        ExpectedCarveout mba = ExpectedCarveout.of(DIR.resolve(MBA));
        assertEquals(List.of("carveout-address-mismatch"), rules(DIR, MBA, mba.pageBase() + 0x1000, 0x1000000));
        assertEquals(List.of("carveout-address-mismatch"), rules(DIR, MBA, mba.pageBase() - 0x1000, 0x1000));
    }

    @Test
    void fixedImage_endingPastItsCarveout_doesNotFit() throws IOException {
        ExpectedCarveout mba = ExpectedCarveout.of(DIR.resolve(MBA));
        assertEquals(List.of("carveout-too-small"), rules(DIR, MBA, mba.pageBase(), mba.pagedSize() - 0x1000));
    }

    @Test
    void relocatableImage_needsItsLoadSizeFromTheCarveoutsBase_whereverItWasLinked() throws IOException {
        ExpectedCarveout venus = ExpectedCarveout.of(VENUS_DIR.resolve("venus.mbn"));
        assertTrue(venus.relocatable());
        long elsewhere = venus.pageBase() + 0x40000000L;
        assertEquals(List.of(), rules(VENUS_DIR, "venus.mbn", elsewhere, venus.pagedSize()));
        assertEquals(List.of("carveout-too-small"), rules(VENUS_DIR, "venus.mbn", elsewhere, venus.pagedSize() - 0x1000));
    }

    @Test
    void aNodeWithoutFirmwareNameOrCarveout_isWarnedAbout_andStillHealthy() throws IOException {
        Processor bare = new Processor("remoteproc@1000", "/soc@0/remoteproc@1000", List.of("qcom,sm8250-adsp-pas"),
                List.of(), List.of(), true);
        ProcessorReport report = examine(bare, List.of(), DIR);
        assertEquals(List.of("firmware-name-absent"), report.findings().stream().map(Finding::rule).toList());
        assertTrue(report.healthy());

        Processor uncarved = new Processor("remoteproc@2000", "/soc@0/remoteproc@2000", List.of("qcom,msm8996-mss-pil"),
                List.of(MBA), List.of("pool"), true);
        ProcessorReport unplaced = examine(uncarved, List.of(), DIR);
        assertEquals(List.of("carveout-unknown"), unplaced.findings().stream().map(Finding::rule).toList());
        assertTrue(unplaced.findings().getFirst().message().contains("pool, which has no fixed reg"));
    }

    @Test
    void aNameThatLeavesTheSearchPath_isInvalid() throws IOException {
        Processor escaping = new Processor("remoteproc@3000", "/soc@0/remoteproc@3000", List.of("qcom,msm8996-mss-pil"),
                List.of("../apq8096/" + MBA), List.of(), true);
        ProcessorReport report = examine(escaping, List.of(), DIR);
        assertEquals(List.of("firmware-name-invalid"), report.findings().stream().map(Finding::rule).toList());
        assertFalse(report.healthy());
    }

    @Test
    void aPasProcessor_requestsItsFirstNameAndItsDtbCompanion_only() throws IOException {
        Processor pas = new Processor("remoteproc@4000", "/soc@0/remoteproc@4000", List.of("qcom,x1e80100-adsp-pas"),
                List.of(MBA, "absent_dtb.mbn", "ignored.mbn"), List.of(), true);
        ProcessorReport report = examine(pas, List.of(), DIR);
        assertEquals(List.of(ImageCheck.Role.FIRMWARE, ImageCheck.Role.DTB_COMPANION),
                report.images().stream().map(ImageCheck::role).toList());
        // the PAS driver does not probe without memory-region entry 0
        assertEquals(List.of("carveout-missing", "companion-missing"), report.findings().stream().map(Finding::rule).toList());
    }

    @Test
    void aDisabledProcessor_isListedAndNotExamined() throws IOException {
        Processor off = new Processor("remoteproc@5000", "/soc@0/remoteproc@5000", List.of("qcom,msm8996-mss-pil"),
                List.of("absent.mbn"), List.of(), false);
        ProcessorReport report = examine(off, List.of(), DIR);
        assertEquals(List.of(), report.images());
        assertEquals(List.of(), report.findings());
    }

    private static List<String> rules(Path dir, String image, long base, long size) throws IOException {
        Carveout c = new Carveout("mem@0", "/reserved-memory/mem@0", PhysAddr.of(base), size, true, 1);
        Processor p = new Processor("remoteproc@0", "/soc@0/remoteproc@0", List.of("qcom,msm8996-mss-pil"),
                List.of(image), List.of(c.name()), true);
        return examine(p, List.of(c), dir).findings().stream().map(Finding::rule).toList();
    }

    private static ProcessorReport examine(Processor p, List<Carveout> carveouts, Path firmware) throws IOException {
        Board board = new Board("test", carveouts, List.of(p), List.of());
        Doctor doctor = new Doctor(board, new SearchPath(List.of(firmware), ""), new Validator(false, false, KernelRules.newest()));
        return doctor.examine().getFirst();
    }
}
