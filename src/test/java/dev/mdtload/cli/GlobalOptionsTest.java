package dev.mdtload.cli;

import dev.mdtload.testing.RealImage;
import me.tongfei.progressbar.ProgressBarStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 13: -q, -v and --debug before or after the subcommand, "did you mean", NO_COLOR. */
class GlobalOptionsTest {
    @TempDir
    Path dir;

    @Test
    void debug_addsTheStackTrace_beforeOrAfterTheSubcommand() {
        Path absent = dir.resolve("absent.mbn");
        for (CliRun r : List.of(CliRun.of("--debug", "info", absent), CliRun.of("info", absent, "--debug"))) {
            assertEquals(ExitCode.USAGE, r.exit(), r::toString);
            assertTrue(r.err().contains("\tat "), r.err());
        }
        assertFalse(CliRun.of("info", absent).err().contains("\tat "));
    }

    @Test
    void quiet_dropsTheWroteLines_beforeOrAfterTheSubcommand() {
        CliRun loud = CliRun.of("squash", RealImage.WPSS.path(), "-o", dir.resolve("a.mbn"));
        CliRun before = CliRun.of("-q", "squash", RealImage.WPSS.path(), "-o", dir.resolve("b.mbn"));
        CliRun after = CliRun.of("squash", RealImage.WPSS.path(), "-o", dir.resolve("c.mbn"), "--quiet");

        assertEquals(List.of("wrote " + dir.resolve("a.mbn")), loud.outLines());
        for (CliRun r : List.of(before, after)) {
            assertEquals(0, r.exit(), r::toString);
            assertEquals("", r.out());
            assertEquals("", r.err());
        }
        assertTrue(Files.exists(dir.resolve("b.mbn")) && Files.exists(dir.resolve("c.mbn")));
    }

    @Test
    void verbose_saysWhichKernelJudges_beforeOrAfterTheSubcommand() {
        Path image = RealImage.MBA.path();
        assertFalse(CliRun.of("validate", image).err().contains("judging by kernel"));
        for (CliRun r : List.of(CliRun.of("-v", "validate", image), CliRun.of("validate", "--verbose", image))) {
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.err().startsWith("mdtload: judging by kernel "), r.err());
        }
    }

    @Test
    void quietAndVerboseTogether_isAUsageError() {
        CliRun r = CliRun.of("-q", "validate", "-v", RealImage.MBA.path());
        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
    }

    @Test
    void aMistypedSubcommand_getsTheNearestOne() {
        CliRun r = CliRun.of("valdiate", RealImage.MBA.path());
        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
        assertTrue(r.errLines().contains("mdtload: did you mean 'validate'?"), r.err());
    }

    @Test
    void aMistypedOption_getsTheNearestOne_evenWhenARequiredOptionIsThenMissing() {
        CliRun r = CliRun.of("map", RealImage.VENUS.path(), "--phys", "0x8b200000", "--szie", "0x500000");
        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
        assertTrue(r.errLines().getFirst().startsWith("mdtload: Unknown options: '--szie'"), r.err());
        assertTrue(r.errLines().contains("mdtload: did you mean '--size'?"), r.err());
    }

    @Test
    void nothingIsSuggestedForAWordFarFromEveryName() {
        CliRun r = CliRun.of("frobnicate");
        assertEquals(ExitCode.USAGE, r.exit(), r::toString);
        assertTrue(r.errLines().stream().noneMatch(l -> l.contains("did you mean")), r.err());
    }

    @Test
    void suggestions_countASwapOfNeighboursAsOneEdit() {
        assertEquals(1, Suggestion.distance("valdiate", "validate"));
        assertEquals(1, Suggestion.distance("mapp", "map"));
        assertEquals(2, Suggestion.distance("--sizee", "--siz"));
    }

    @Test
    void theProgressBar_dropsItsColours_underNoColor() {
        assertEquals(ProgressBarStyle.COLORFUL_UNICODE_BLOCK, ProvisionProgress.style(Map.of()));
        // https://no-color.org: present and not empty
        assertEquals(ProgressBarStyle.COLORFUL_UNICODE_BLOCK, ProvisionProgress.style(Map.of("NO_COLOR", "")));
        assertEquals(ProgressBarStyle.UNICODE_BLOCK, ProvisionProgress.style(Map.of("NO_COLOR", "1")));
    }
}
