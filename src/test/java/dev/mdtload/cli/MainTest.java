package dev.mdtload.cli;

import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The exit-code contract (README "Exit codes"): 0 valid, 1 invalid image, 2 usage, 3 environment. */
class MainTest {

    private static void assertOneLine(CliRun r, int exitCode, String... fragments) {
        assertEquals(exitCode, r.exit(), r::toString);
        r.assertNoStackTrace();
        String first = r.errLines().getFirst();
        assertTrue(first.startsWith("mdtload: "), first);
        for (String f : fragments) {
            assertTrue(first.contains(f), () -> "'" + first + "' should contain " + f);
        }
    }

    @Test
    void validate_exitsZeroOnTheRealFirmwareDirectory(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("validate", RealImage.firmwareTree(dir));
        r.assertValid();
        assertEquals(7, r.outLines().size(), r.out());
        assertEquals("6 images: 6 valid, 0 invalid", r.outLines().getLast());
    }

    @Test
    void validate_exitsOneWhenAnyImageIsInvalid(@TempDir Path dir) throws Exception {
        Path good = RealImage.A650_ZAP.copyTo(dir);
        Path bad = Files.write(dir.resolve("bad.mbn"), new byte[] {1, 2, 3});
        CliRun r = CliRun.of("validate", good, bad);
        assertEquals(ExitCode.INVALID, r.exit());
        assertEquals(List.of("mdtload: " + bad + ": file is 3 bytes, shorter than an ELF identification [file-too-short]"),
                r.errLines());
        assertEquals("2 images: 1 valid, 1 invalid", r.outLines().getLast());
    }

    @Test
    void validate_exitsTwoForAPathThatDoesNotExist(@TempDir Path dir) {
        Path absent = dir.resolve("absent.mdt");
        assertOneLine(CliRun.of("validate", absent), ExitCode.USAGE, absent.toString(), "no such file");
    }

    @Test
    void validate_exitsTwoForAPathThroughARegularFile() {
        // ENOTDIR: the command line names nothing that exists, as with a missing file (README)
        Path through = RealImage.A650_ZAP.path().resolve("x.mdt");
        assertOneLine(CliRun.of("validate", through), ExitCode.USAGE, through.toString());
        assertOneLine(CliRun.of("info", through), ExitCode.USAGE, through.toString());
    }

    @Test
    void validate_exitsTwoForAnUnknownOption() {
        CliRun r = CliRun.of("validate", "--no-such-option", RealImage.MBA.path());
        assertOneLine(r, ExitCode.USAGE, "--no-such-option");
        assertEquals("", r.out());
    }

    @Test
    void validate_exitsTwoWithoutAPath() {
        assertOneLine(CliRun.of("validate"), ExitCode.USAGE, "PATH");
    }

    @Test
    void main_exitsTwoForAnUnknownCommand() {
        assertOneLine(CliRun.of("frobnicate"), ExitCode.USAGE, "frobnicate");
    }

    @Test
    void info_exitsTwoForADirectory() {
        Path dir = RealImage.firmwareDirectory();
        assertOneLine(CliRun.of("info", dir), ExitCode.USAGE, dir.toString(), "directory");
    }

    @Test
    void info_exitsTwoForAMissingImage(@TempDir Path dir) {
        assertOneLine(CliRun.of("info", dir.resolve("x.mbn")), ExitCode.USAGE, "x.mbn", "no such file");
    }

    /**
     * The tests run as root, so chmod cannot make a file unreadable. A procfs sysctl file that is
     * write-only (mode 0200) refuses reads even to root: proc_sys_permission() checks the mode,
     * not capabilities. That is a real permission error from the kernel.
     */
    private static Path writeOnlyFile() {
        Path p = Path.of("/proc/sys/vm/drop_caches");
        assumeTrue(Files.isRegularFile(p) && !Files.isReadable(p), "needs a write-only sysctl file");
        return p;
    }

    @Test
    void validate_exitsThreeForAFileThatCannotBeRead() {
        Path p = writeOnlyFile();
        CliRun r = CliRun.of("validate", p);
        assertOneLine(r, ExitCode.ENVIRONMENT, p.toString(), "permission denied");
        assertEquals("1 image: 0 valid, 0 invalid, 1 unreadable", r.outLines().getLast());
    }

    @Test
    void info_exitsThreeForAFileThatCannotBeRead() {
        Path p = writeOnlyFile();
        assertOneLine(CliRun.of("info", p), ExitCode.ENVIRONMENT, p.toString(), "permission denied");
    }

    @Test
    void validate_exitsThreeWhenOneOfSeveralImagesCannotBeRead() {
        Path p = writeOnlyFile();
        CliRun r = CliRun.of("validate", RealImage.MBA.path(), p);
        assertEquals(ExitCode.ENVIRONMENT, r.exit(), r::toString);
        assertTrue(r.out().contains("VALID   " + RealImage.MBA.path()), r.out());
    }

    @Test
    void debug_addsTheStackTrace() {
        Path p = writeOnlyFile();
        CliRun r = CliRun.of("info", "--debug", p);
        assertEquals(ExitCode.ENVIRONMENT, r.exit());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void help_exitsZero() {
        CliRun r = CliRun.of("--help");
        assertEquals(ExitCode.OK, r.exit());
        assertTrue(Arrays.stream(new String[] {"info", "validate"}).allMatch(r.out()::contains), r.out());
    }

    @Test
    void subcommands_areNamedAsTheirOwnCommandAnnotationsNameThem() {
        CommandTree.SUBCOMMANDS.forEach((name, c) ->
                assertEquals(name, c.getAnnotation(picocli.CommandLine.Command.class).name(), c.getName()));
    }

    @Test
    void aCommandLine_holdsOnlyTheSubcommandItNames_andNoneForALoneVersion() {
        assertEquals(List.of("info"), List.copyOf(CommandTree.commandLine("info", "x.mbn").getSubcommands().keySet()));
        assertEquals(List.of("rproc"), List.copyOf(CommandTree.commandLine("rproc", "list").getSubcommands().keySet()));
        // global options before the subcommand's name do not make every subcommand needed
        assertEquals(List.of("info"), List.copyOf(CommandTree.commandLine("-q", "--debug", "info", "x.mbn").getSubcommands().keySet()));
        assertEquals(List.of(), List.copyOf(CommandTree.commandLine("--version").getSubcommands().keySet()));
        // help, and a name picocli may offer corrections for, need them all
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"help", "load"}, new String[] {"infoo"}, new String[0])) {
            assertEquals(List.copyOf(CommandTree.SUBCOMMANDS.keySet()), List.copyOf(CommandTree.commandLine(args).getSubcommands().keySet()),
                    String.join(" ", args));
        }
    }

    @Test
    void version_andHelpForOneCommand_workWithTheLazyModel() {
        CliRun version = CliRun.of("--version");
        assertEquals(ExitCode.OK, version.exit());
        assertEquals("mdtload 0.1.0\n", version.out());
        CliRun help = CliRun.of("help", "squash");
        assertEquals(ExitCode.OK, help.exit());
        assertTrue(help.out().contains("Usage: mdtload squash"), help.out());
        CliRun inherited = CliRun.of("squash", "--help");
        assertEquals(ExitCode.OK, inherited.exit());
        assertTrue(inherited.out().contains("Usage: mdtload squash"), inherited.out());
    }

    @Test
    void aLoneVersion_isAnsweredAsPicocliAnswersIt() {
        for (String option : List.of("--version", "-V")) {
            CliRun picocli = CliRun.of(option);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int exit;
            try {
                exit = Main.run(option);
            } finally {
                System.setOut(stdout);
            }
            assertEquals(picocli.exit(), exit, option);
            assertEquals(picocli.out(), out.toString(StandardCharsets.UTF_8), option);
            assertEquals("mdtload 0.1.0\n", picocli.out(), option);
        }
    }
}
