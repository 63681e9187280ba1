package dev.mdtload.hostile;

import dev.mdtload.cli.CliRun;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * mdtload killed with SIGKILL (destroyForcibly) while it writes: each output file is then absent
 * or complete and byte-identical to what an uninterrupted run writes, a split set or a staged
 * image whose main file exists has all its parts, and the only other thing left is the dead
 * run's temporary files, {@code .NAME.<digits>.tmp}, which no reader takes for an output (they
 * are dot-files, their names end in .tmp, and their NAME part is the whole output name). The next
 * run of the same command removes them.
 *
 * <p>The kills are aimed at the write: each run is killed a set time after its first temporary
 * file appears (0 ms: the write has just begun), with a 32 MiB image in four 8 MiB segments, so
 * that writing takes long enough for the later kill to land in a later file or in the final
 * fsync and rename. Killing at fixed times from the start would mostly hit JVM start-up and
 * validation, which write nothing.
 */
class CrashSafetyTest {
    /**
     * After the first temp file appears: at once (inside the first file), and later (inside a later
     * part, or during the fsync and rename, or after the end: each is a state a kill can find).
     * Two moments per command keep the six child JVMs to a few seconds.
     */
    private static final List<Integer> KILL_AFTER_MS = List.of(0, 60);
    private static final Pattern TEMP = Pattern.compile("\\..+\\.\\d+\\.tmp");
    private static final String SPLIT_BASE = "big";

    @TempDir
    static Path dir;
    /** The split input: big.mdt + big.b00..b05 (b02..b05 8 MiB each). */
    static Path mdt;
    /** The squashed input. */
    static Path mbn;
    /** What uninterrupted runs write: file name → bytes, per command. */
    static Map<String, byte[]> squashed;
    static Map<String, byte[]> splitSet;

    @BeforeAll
    static void images() throws Exception {
        List<LoadSegment> segments = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 4; i++) {
            byte[] bytes = new byte[8 << 20];
            random.nextBytes(bytes);
            long at = HostileImages.ELF32_BASE + (long) i * (16 << 20);
            segments.add(new LoadSegment(at, at, 0x5, bytes, bytes.length));
        }
        var image = ImageAssembler.builder().elfClass(ElfClass.ELF32).machine(ElfWriter.EM_QDSP6).mbnVersion(5)
                .hashAddress(HostileImages.ELF32_BASE + 0x1000_0000L).segments(segments).build().assemble();
        mdt = Files.createDirectories(dir.resolve("input")).resolve(SPLIT_BASE + ".mdt");
        image.writeSplit(mdt);
        // the references are what uninterrupted runs of the same commands write
        Path squashedRef = dir.resolve("reference/" + SPLIT_BASE + ".mbn");
        Files.createDirectories(squashedRef.getParent());
        assertEquals(0, CliRun.of("squash", mdt, "-o", squashedRef).exit());
        mbn = Files.copy(squashedRef, Files.createDirectories(dir.resolve("input-squashed")).resolve(SPLIT_BASE + ".mbn"));
        squashed = contents(squashedRef.getParent());
        Path splitRef = dir.resolve("reference-split");
        assertEquals(0, CliRun.of("split", mbn, "-o", splitRef).exit());
        splitSet = contents(splitRef);
    }

    private static Map<String, byte[]> contents(Path directory) throws IOException {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path p : list.toList()) {
                all.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return all;
    }

    /** A command to kill, where it writes, and what a complete run leaves there. */
    enum Command {
        SQUASH, SPLIT, STAGE;

        List<String> args(Path out, Path root) {
            return switch (this) {
                case SQUASH -> List.of("squash", mdt.toString(), "-o", out.resolve(SPLIT_BASE + ".mbn").toString());
                case SPLIT -> List.of("split", mbn.toString(), "-o", out.toString());
                case STAGE -> List.of("rproc", "start", "m3", mdt.toString(), "--as", SPLIT_BASE + ".mdt", "--root",
                        root.toString(), "--sysfs", "sim", "--timeout", "5");
            };
        }

        /** The staged files are copies of the input's files; the others, what the references hold. */
        Map<String, byte[]> reference() throws IOException {
            return switch (this) {
                case SQUASH -> squashed;
                case SPLIT -> splitSet;
                case STAGE -> contents(mdt.getParent());
            };
        }

        /** The file whose presence promises the rest (written last). */
        String last() {
            return this == SQUASH ? SPLIT_BASE + ".mbn" : SPLIT_BASE + ".mdt";
        }
    }

    static Stream<Arguments> kills() {
        return Stream.of(Command.values()).flatMap(c -> KILL_AFTER_MS.stream().map(ms -> Arguments.of(c, ms)));
    }

    @ParameterizedTest(name = "{0} killed {1} ms into writing")
    @MethodSource("kills")
    void killedWhileWriting_leavesEachOutputAbsentOrComplete(Command command, int killAfterMs, @TempDir Path run)
            throws Exception {
        Path root = HostileImages.remoteprocRoot(run);
        Path out = command == Command.STAGE ? root.resolve("lib/firmware") : Files.createDirectories(run.resolve("out"));
        Process p = ChildJvm.start(run.resolve("logs"), List.of(), command.args(out, root));
        try {
            awaitFirstTemp(p, out);
            Thread.sleep(killAfterMs);
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "a killed process ends");
        }
        Map<String, byte[]> reference = command.reference();
        Map<String, byte[]> left = contents(out);
        for (Map.Entry<String, byte[]> e : left.entrySet()) {
            if (TEMP.matcher(e.getKey()).matches()) {
                continue;
            }
            assertTrue(reference.containsKey(e.getKey()), () -> "unexpected file " + e.getKey());
            assertEquals(-1, Arrays.mismatch(reference.get(e.getKey()), e.getValue()),
                    () -> e.getKey() + " is not the complete output");
        }
        if (left.containsKey(command.last())) {
            assertEquals(reference.keySet(), left.keySet().stream().filter(n -> !TEMP.matcher(n).matches())
                    .collect(Collectors.toSet()), command.last() + " is written last: with it, all");
        }

        // the next run finishes the job and removes what the killed one left
        if (command == Command.STAGE) {
            CliRun.of("rproc", "stop", "m3", "--root", root, "--sysfs", "sim");
        }
        List<String> again = new ArrayList<>(command.args(out, root));
        if (command != Command.STAGE) {
            again.add("--force");
        }
        CliRun rerun = CliRun.of(again.toArray());
        assertEquals(0, rerun.exit(), rerun::toString);
        Map<String, byte[]> after = contents(out);
        assertEquals(reference.keySet(), after.keySet(), "no temporary file is left");
        for (String name : reference.keySet()) {
            assertEquals(-1, Arrays.mismatch(reference.get(name), after.get(name)), name);
        }
    }

    /** Waits until the child has created its first temporary file (or has ended). */
    private static void awaitFirstTemp(Process p, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Stream<Path> list = Files.list(out)) {
                if (list.anyMatch(f -> TEMP.matcher(f.getFileName().toString()).matches())) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        if (p.isAlive()) {
            fail("no temporary file appeared in " + out);
        }
    }
}
