package dev.mdtload.hostile;

import dev.mdtload.check.Rule;
import dev.mdtload.cli.CliRun;
import dev.mdtload.cli.CommandTree;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.mbn.Assembled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.mdtload.hostile.HostileImages.CODE;
import static dev.mdtload.hostile.HostileImages.DATA;
import static dev.mdtload.hostile.HostileImages.HASH_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's hostile inputs, each run through the command line as a user would run it: the exit
 * code (1 for a broken image, 2 for a request that cannot be honoured, 3 for a file that cannot
 * be read), the rule ids, one line per problem and no stack trace, and not one byte changed in
 * the image, the carveout (a new one is never created), the output directory or the fake board. Every broken image goes through every
 * command that reads an image: validate, load (into a new and into an existing file carveout),
 * squash, split and rproc start. Case names say where this must do better than the kernel's
 * loader (kernel-facts.md §3, its weak spots and security fixes).
 */
class HostileCatalogueTest {
    private static final long CARVEOUT_SIZE = 0x1_0000;
    /** A valid split image: .mdt (headers and hash segment) and .b00..b04. */
    private static final String SPLIT = "v6-elf32-fixed-split.mdt";
    /** "mdtload: FILE: [segment N: ]message [rule-id]" */
    private static final Pattern VIOLATION = Pattern.compile("mdtload: (.+?): .+ \\[([a-z0-9]+(?:-[a-z0-9]+)*)]");

    /** What one row runs, what it must answer, and what must be as it was afterwards. */
    record Run(List<String> args, int exit, Set<Rule> rules, Path image, List<Path> untouched) {}

    @FunctionalInterface
    interface Setup {
        Run in(Path dir) throws Exception;
    }

    record Case(String name, Setup setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** An image that breaks {@code rules}, made in a directory of its own. */
    record Hostile(String name, Set<Rule> rules, Maker maker) {}

    @FunctionalInterface
    interface Maker {
        Path make(Path dir) throws Exception;
    }

    private static final String WARNING = "mdtload: warning: ";

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void hostileInput_isRefusedInOneLineAndChangesNothing(Case c, @TempDir Path dir) throws Exception {
        Run run = c.setup().in(dir);
        Map<String, String> before = HostileImages.fingerprint(run.untouched());
        CliRun result = CliRun.of(run.args().toArray());

        assertEquals(run.exit(), result.exit(), result::toString);
        result.assertNoStackTrace();
        List<String> lines = result.errLines();
        assertFalse(lines.isEmpty(), "a refusal must say why");
        if (run.exit() == 1) {
            Set<String> rules = new TreeSet<>();
            for (String line : lines) {
                // warnings (shared file bytes beside a refusal) are one-line too, but refuse nothing
                boolean warning = line.startsWith(WARNING);
                Matcher m = VIOLATION.matcher(warning ? "mdtload: " + line.substring(WARNING.length()) : line);
                assertTrue(m.matches(), () -> "not a one-line violation: " + line);
                assertEquals(run.image().toString(), m.group(1), line);
                if (!warning) {
                    rules.add(m.group(2));
                }
            }
            assertEquals(run.rules().stream().map(Rule::id).collect(Collectors.toCollection(TreeSet::new)), rules);
        } else {
            assertEquals(1, lines.size(), result::toString);
            assertTrue(lines.getFirst().startsWith("mdtload: "), lines.getFirst());
        }
        assertEquals(before, HostileImages.fingerprint(run.untouched()), "bytes changed");
    }

    static Stream<Case> catalogue() {
        return Stream.of(
                hostileImages().stream().flatMap(HostileCatalogueTest::everyCommand),
                Stream.of(outsideTheCarveout(), danglingImageInADirectory()),
                firmwareNames(),
                existingOutputs()).flatMap(s -> s);
    }

    // ---- broken images ------------------------------------------------------------------

    static List<Hostile> hostileImages() {
        return List.of(
                // integer wraps where sizes and addresses combine
                new Hostile("ELF32 p_paddr + p_memsz wraps 32 bits", Set.of(Rule.ADDRESS_OVERFLOW),
                        dir -> HostileImages.sample("address-overflow", "address-overflow.mbn", dir)),
                new Hostile("ELF64 p_paddr + p_memsz wraps 64 bits", Set.of(Rule.ADDRESS_OVERFLOW),
                        dir -> squashed(HostileImages.edited(ElfClass.ELF64, 5, DATA,
                                p -> HostileImages.withPaddr(p, 0xffff_ffff_ffff_f800L)), dir)),
                new Hostile("ELF64 p_paddr + p_memsz passes 2^63, where a Java long turns negative",
                        Set.of(Rule.ADDRESS_OVERFLOW), dir -> squashed(HostileImages.edited(ElfClass.ELF64, 5, DATA,
                                p -> HostileImages.withPaddr(p, 0x7fff_ffff_ffff_f800L)), dir)),
                new Hostile("ELF32 p_offset + p_filesz wraps 32 bits in a split image", Set.of(Rule.OFFSET_OVERFLOW),
                        dir -> HostileImages.sample("offset-overflow", "offset-overflow.mdt", dir)),
                new Hostile("ELF32 p_offset + p_filesz wraps 32 bits in a single file", Set.of(Rule.OFFSET_OVERFLOW),
                        dir -> HostileImages.squashedWithout(HostileImages.edited(ElfClass.ELF32, 6, DATA,
                                p -> HostileImages.withOffset(p, 0xffff_ff00L)), dir.resolve("img/wrap32.mbn"), DATA)),
                new Hostile("ELF64 p_offset + p_filesz wraps 64 bits in a single file", Set.of(Rule.OFFSET_OVERFLOW),
                        dir -> HostileImages.squashedWithout(HostileImages.edited(ElfClass.ELF64, 5, DATA,
                                p -> HostileImages.withOffset(p, 0xffff_ffff_ffff_ff00L)), dir.resolve("img/wrap64.mbn"), DATA)),
                new Hostile("ELF64 p_offset + p_filesz passes 2^63 in a split image", Set.of(Rule.OFFSET_OVERFLOW),
                        dir -> split(HostileImages.edited(ElfClass.ELF64, 7, DATA,
                                p -> HostileImages.withOffset(p, 0x7fff_ffff_ffff_ff00L)), dir)),
                new Hostile("hash table size 0xffffffff", Set.of(Rule.HASH_TABLE_SIZE_MISMATCH),
                        dir -> patched(ElfClass.ELF32, 6, dir, HASH_OFFSET + 20, 4, 0xffff_ffffL)),
                new Hostile("v6 metadata size that wraps a 32-bit sum of header and metadata to 0",
                        Set.of(Rule.HASH_TABLE_OUT_OF_BOUNDS),
                        dir -> patched(ElfClass.ELF32, 6, dir, HASH_OFFSET + 40, 4, 0x1_0000_0000L - 48)),
                new Hostile("v7 signature size 0xffffffff", Set.of(Rule.SIGNATURE_OUT_OF_BOUNDS),
                        dir -> patched(ElfClass.ELF64, 7, dir, HASH_OFFSET + 32, 4, 0xffff_ffffL)),
                new Hostile("e_phnum 65535 in a 12 KiB file: e_phnum * e_phentsize runs past it",
                        Set.of(Rule.PHDRS_OUT_OF_BOUNDS), dir -> patched(ElfClass.ELF32, 6, dir, 44, 2, 0xffff)),
                new Hostile("ELF64 e_phoff + e_phnum * e_phentsize wraps 64 bits", Set.of(Rule.PHDRS_OUT_OF_BOUNDS),
                        dir -> patched(ElfClass.ELF64, 5, dir, 32, 8, 0xffff_ffff_ffff_ffc0L)),
                new Hostile("the file ends inside its program-header table", Set.of(Rule.PHDRS_OUT_OF_BOUNDS),
                        dir -> HostileImages.sample("phdrs-out-of-bounds", "phdrs-out-of-bounds.mbn", dir)),
                new Hostile("2000 program headers over the same file bytes: hashed once, each zero entry a mismatch",
                        Set.of(Rule.DIGEST_MISMATCH),
                        dir -> HostileImages.sameBytesManyTimes(dir.resolve("img/same-bytes.mbn"), 2000)),
                new Hostile("2000 distinct overlapping ranges: more hashing than 4 x the file, refused unhashed",
                        Set.of(Rule.HASH_WORK_EXCEEDED),
                        dir -> HostileImages.overlappingRanges(dir.resolve("img/ranges.mbn"), 2003, 8)),
                // the kernel's weak spots and security fixes
                new Hostile("phdr index 100 in a split image is refused (the kernel's .bNN name buffer overflows)",
                        Set.of(Rule.TOO_MANY_PHDRS), dir -> HostileImages.sample("too-many-phdrs", "too-many-phdrs.mdt", dir)),
                new Hostile("phdr 0's p_filesz past the end of the file (the kernel's metadata copy does not check it)",
                        Set.of(Rule.SEGMENT_TRUNCATED), dir -> squashed(HostileImages.edited(ElfClass.ELF32, 6, 0,
                                p -> HostileImages.withFilesz(p, 0x1000_0000L)), dir)),
                new Hostile("p_filesz > p_memsz (the kernel's 2021 fix against writing past the region)",
                        Set.of(Rule.FILESZ_EXCEEDS_MEMSZ),
                        dir -> HostileImages.sample("filesz-exceeds-memsz", "filesz-exceeds-memsz.mbn", dir)),
                new Hostile("a flipped bit writes nothing (the kernel copies segments before anything is verified)",
                        Set.of(Rule.DIGEST_MISMATCH), dir -> HostileImages.sample("digest-mismatch", "digest-mismatch.mbn", dir)),
                new Hostile("a single file cut short (the kernel's truncated-image check)", Set.of(Rule.SEGMENT_TRUNCATED),
                        dir -> HostileImages.sample("segment-truncated", "segment-truncated.mbn", dir)),
                new Hostile("a part one byte shorter than p_filesz", Set.of(Rule.PART_SIZE_MISMATCH),
                        withPart(DATA, (part, dir) -> {
                            try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
                                f.setLength(f.length() - 1);
                            }
                        })),
                new Hostile("a file shorter than an ELF header", Set.of(Rule.FILE_TOO_SHORT),
                        dir -> HostileImages.sample("file-too-short", "file-too-short.mbn", dir)),
                // the file system
                new Hostile("a part that is a link to itself", Set.of(Rule.PART_UNREADABLE),
                        dir -> HostileImages.sample("part-unreadable", "part-unreadable.mdt", dir)),
                new Hostile("two parts' links forming a loop", Set.of(Rule.PART_UNREADABLE), withPart(CODE, (part, dir) -> {
                    Files.delete(part);
                    Files.createSymbolicLink(part, Path.of("other"));
                    Files.createSymbolicLink(part.resolveSibling("other"), part.getFileName());
                })),
                new Hostile("the image itself is a link to itself", Set.of(Rule.PART_UNREADABLE), dir -> {
                    Path image = Files.createDirectories(dir.resolve("img")).resolve("loop.mbn");
                    return Files.createSymbolicLink(image, image.getFileName());
                }),
                new Hostile("a part linking to ../outside", Set.of(Rule.PART_OUTSIDE_DIRECTORY),
                        dir -> HostileImages.sample("part-outside-directory", "image/part-outside-directory.mdt", dir)),
                new Hostile("a part linking to a right-sized copy elsewhere by absolute path",
                        Set.of(Rule.PART_OUTSIDE_DIRECTORY), withPart(CODE, (part, dir) -> {
                            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere")).resolve("code.bin");
                            Files.move(part, elsewhere);
                            Files.createSymbolicLink(part, elsewhere.toAbsolutePath());
                        })),
                new Hostile("a part linking to the device /dev/null", Set.of(Rule.PART_OUTSIDE_DIRECTORY),
                        withPart(CODE, (part, dir) -> {
                            Files.delete(part);
                            Files.createSymbolicLink(part, Path.of("/dev/null"));
                        })),
                new Hostile("a part that is a directory", Set.of(Rule.PART_NOT_REGULAR_FILE),
                        dir -> HostileImages.sample("part-not-regular-file", "part-not-regular-file.mdt", dir)),
                new Hostile("a part that is a FIFO, which nothing may block on", Set.of(Rule.PART_NOT_REGULAR_FILE),
                        withPart(DATA, (part, dir) -> {
                            Files.delete(part);
                            HostileImages.mkfifo(part);
                        })),
                new Hostile("the image itself is a FIFO", Set.of(Rule.PART_NOT_REGULAR_FILE), dir -> {
                    Path image = Files.createDirectories(dir.resolve("img")).resolve("fifo.mbn");
                    HostileImages.mkfifo(image);
                    return image;
                }),
                new Hostile("the image is a link to the device /dev/zero", Set.of(Rule.PART_NOT_REGULAR_FILE), dir -> {
                    Path image = Files.createDirectories(dir.resolve("img")).resolve("zero.mbn");
                    return Files.createSymbolicLink(image, Path.of("/dev/zero"));
                }));
    }

    /** What replaces or changes a part of the valid split sample. */
    @FunctionalInterface
    interface PartChange {
        void apply(Path part, Path dir) throws Exception;
    }

    /** The valid split sample (firmware-samples/valid) with part {@code index} changed. */
    private static Maker withPart(int index, PartChange change) {
        return dir -> {
            Path mdt = HostileImages.valid(SPLIT, dir.resolve("img"));
            change.apply(mdt.resolveSibling(String.format("v6-elf32-fixed-split.b%02d", index)), dir);
            return mdt;
        };
    }

    private static Path squashed(Assembled image, Path dir) throws Exception {
        Path mbn = Files.createDirectories(dir.resolve("img")).resolve("hostile.mbn");
        image.writeSquashed(mbn);
        return mbn;
    }

    private static Path split(Assembled image, Path dir) throws Exception {
        Path mdt = Files.createDirectories(dir.resolve("img")).resolve("hostile.mdt");
        image.writeSplit(mdt);
        return mdt;
    }

    /** A valid single-file image of the sample layout with one little-endian field overwritten. */
    private static Path patched(ElfClass elfClass, int version, Path dir, long at, int width, long value) throws Exception {
        Path mbn = squashed(HostileImages.builder(elfClass, version).build().assemble(), dir);
        HostileImages.patch(mbn, at, width, value);
        return mbn;
    }

    /** Every command that reads an image, each refusing {@code h} and touching nothing. */
    private static Stream<Case> everyCommand(Hostile h) {
        return Stream.of(
                new Case(h.name() + ": validate", dir -> {
                    Path image = h.maker().make(dir);
                    // the catalogue is about mdtload's own reading, whichever kernel: ELF64 cases stay ELF64
                    return refused(h, image, List.of("validate", "--kernel", "none", image.toString()), dir);
                }),
                new Case(h.name() + ": load into a new file carveout", dir -> {
                    Path image = h.maker().make(dir);
                    return refused(h, image, load(image, dir.resolve("new-carveout.bin")), dir);
                }),
                new Case(h.name() + ": load into an existing file carveout", dir -> {
                    Path image = h.maker().make(dir);
                    return refused(h, image, load(image, existingCarveout(dir)), dir);
                }),
                new Case(h.name() + ": squash", dir -> {
                    Path image = h.maker().make(dir);
                    return refused(h, image, List.of("squash", image.toString(), "-o", dir.resolve("out/squashed.mbn").toString()), dir);
                }),
                new Case(h.name() + ": split", dir -> {
                    Path image = h.maker().make(dir);
                    return refused(h, image, List.of("split", image.toString(), "-o", dir.resolve("out").toString()), dir);
                }),
                new Case(h.name() + ": rproc start", dir -> {
                    Path image = h.maker().make(dir);
                    Path root = HostileImages.remoteprocRoot(dir);
                    return refused(h, image, List.of("rproc", "start", "m3", image.toString(), "--root", root.toString(),
                            "--sysfs", "sim", "--timeout", "1"), dir);
                }));
    }

    /** Exit 1 with {@code h}'s rules; nothing under {@code dir} (image, carveouts, outputs, board) changes. */
    private static Run refused(Hostile h, Path image, List<String> args, Path dir) throws Exception {
        Files.createDirectories(dir.resolve("out"));
        return new Run(args, 1, h.rules(), image, List.of(dir, dir.resolve("new-carveout.bin"), dir.resolve("out/squashed.mbn")));
    }

    private static List<String> load(Path image, Path carveout) {
        return List.of("load", "--kernel", "none", image.toString(), "--carveout", "file:" + carveout, "--phys", "0x4b000000",
                "--size", "0x" + Long.toHexString(CARVEOUT_SIZE), "--pas-id", "6", "--scm", "sim");
    }

    /** A carveout file that already holds bytes (0xa5), which a refused load must leave as they are. */
    private static Path existingCarveout(Path dir) throws Exception {
        byte[] bytes = new byte[(int) CARVEOUT_SIZE];
        Arrays.fill(bytes, (byte) 0xa5);
        return Files.write(dir.resolve("existing-carveout.bin"), bytes);
    }

    /** Valid alone, but not in the carveout the sample's carveout.txt gives (phys 0x4b000000, size 0x2000). */
    private static Case outsideTheCarveout() {
        return new Case("a segment outside the carveout writes nothing (the kernel finds out while copying)", dir -> {
            Path image = HostileImages.sample("segment-outside-carveout", "segment-outside-carveout.mbn", dir);
            List<String> args = new ArrayList<>(load(image, existingCarveout(dir)));
            args.set(args.indexOf("0x" + Long.toHexString(CARVEOUT_SIZE)), "0x2000");
            return new Run(args, 1, Set.of(Rule.SEGMENT_OUTSIDE_CARVEOUT), image, List.of(dir));
        });
    }

    /** Found by walking a directory, a link to nothing is an image that cannot be read: reported, exit 3. */
    private static Case danglingImageInADirectory() {
        return new Case("validate of a directory holding a dangling image link reports it and exits 3", dir -> {
            Path images = Files.createDirectories(dir.resolve("img"));
            HostileImages.valid(SPLIT, images);
            Files.createSymbolicLink(images.resolve("gone.mbn"), Path.of("nowhere/gone.mbn"));
            return new Run(List.of("validate", images.toString()), 3, Set.of(), null, List.of(dir));
        });
    }

    // ---- requests that cannot be honoured -----------------------------------------------

    /** Names for rproc start staging that would leave the firmware search path. */
    private static Stream<Case> firmwareNames() {
        List<String> names = List.of("../escape.mdt", "/lib/firmware/absolute.mdt", "qcom/../../up.mdt", "qcom//double.mdt",
                "./dot.mdt", "line\nbreak.mdt", "", "x".repeat(252) + ".mdt");
        Stream<Case> refused = names.stream().map(name -> new Case("rproc start --as '"
                + name.replace("\n", "\\n").replaceAll("x{252}", "x...x") + "' stages nothing", dir -> {
                    Path image = HostileImages.valid(SPLIT, dir.resolve("img"));
                    Path root = HostileImages.remoteprocRoot(dir);
                    return new Run(List.of("rproc", "start", "m3", image.toString(), "--as", name, "--root", root.toString(),
                            "--sysfs", "sim"), 2, Set.of(), image, List.of(dir));
                }));
        Case throughLink = new Case("rproc start --as a name leading through a link out of the search path stages nothing",
                dir -> {
                    Path image = HostileImages.valid(SPLIT, dir.resolve("img"));
                    Path root = HostileImages.remoteprocRoot(dir);
                    Path outside = Files.createDirectories(dir.resolve("outside"));
                    Files.createSymbolicLink(root.resolve("lib/firmware/qcom"), outside);
                    return new Run(List.of("rproc", "start", "m3", image.toString(), "--as", "qcom/m3.mdt", "--root",
                            root.toString(), "--sysfs", "sim"), 2, Set.of(), image, List.of(dir));
                });
        return Stream.concat(refused, Stream.of(throughLink));
    }

    /** Outputs that exist are refused without --force, before anything is written. */
    private static Stream<Case> existingOutputs() {
        String squashed = "v6-elf32-fixed-squashed.mbn";
        String[] sign = {"sign", "--mbn-version", "6", "--sw-id", "0x1f"};
        return Stream.of(
                inTheWay("squash onto an existing file keeps its content", SPLIT, "out.mbn",
                        (out, dir) -> Files.writeString(out, "old content"), "squash"),
                inTheWay("squash onto an existing directory keeps it", SPLIT, "out.mbn",
                        (out, dir) -> Files.writeString(Files.createDirectories(out).resolve("keep"), "old content"), "squash"),
                inTheWay("squash onto a link to a file elsewhere keeps that file", SPLIT, "out.mbn", (out, dir) -> {
                    Path elsewhere = Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("f"), "old");
                    Files.createSymbolicLink(out, elsewhere);
                }, "squash"),
                inTheWay("split where one part of the set exists writes none of the others", squashed, "out",
                        (out, dir) -> Files.writeString(Files.createDirectories(out).resolve("v6-elf32-fixed-squashed.b03"),
                                "old part"), "split"),
                inTheWay("split where the .mdt exists writes no part", squashed, "out",
                        (out, dir) -> Files.writeString(Files.createDirectories(out).resolve("v6-elf32-fixed-squashed.mdt"),
                                "old mdt"), "split"),
                inTheWay("sign onto an existing image keeps it", squashed, "signed.mbn",
                        (out, dir) -> Files.writeString(out, "old image"), sign),
                inTheWay("sign where the test CA's root certificate exists writes no image either", squashed, "signed.mbn",
                        (out, dir) -> Files.writeString(out.resolveSibling("signed.mbn.root.pem"), "old root"), sign));
    }

    /** What is already where a command would write. */
    @FunctionalInterface
    interface Obstacle {
        void put(Path output, Path dir) throws Exception;
    }

    /** {@code command[0] IMAGE command[1..] -o OUTPUT} after {@code obstacle} was put there: exit 2, nothing changed. */
    private static Case inTheWay(String name, String image, String output, Obstacle obstacle, String... command) {
        return new Case(name, dir -> {
            Path in = HostileImages.valid(image, dir.resolve("img"));
            Path out = dir.resolve(output);
            obstacle.put(out, dir);
            List<String> args = new ArrayList<>(List.of(command[0], in.toString()));
            args.addAll(Arrays.asList(command).subList(1, command.length));
            args.addAll(List.of("-o", out.toString()));
            return usage(args, dir);
        });
    }

    private static Run usage(List<String> args, Path dir) {
        return new Run(args, 2, Set.of(), null, List.of(dir));
    }

    // ---- outside the table --------------------------------------------------------------

    @Test
    void squash_ontoADanglingLink_replacesTheLinkAndWritesNothingWhereItPointed(@TempDir Path dir) throws Exception {
        Path image = HostileImages.valid(SPLIT, dir.resolve("img"));
        Path target = dir.resolve("elsewhere/planted.mbn");
        Path out = Files.createSymbolicLink(dir.resolve("out.mbn"), target);
        CliRun run = CliRun.of("squash", image, "-o", out);
        assertEquals(0, run.exit(), run::toString);
        assertTrue(Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS), "the link itself was replaced");
        assertFalse(Files.exists(target.getParent()), "nothing was created where the link pointed");
    }

    @Test
    void start_stagingOverALinkInTheSearchPath_replacesTheLinkNotItsTarget(@TempDir Path dir) throws Exception {
        Path image = HostileImages.valid("v6-elf32-fixed-squashed.mbn", dir.resolve("img"));
        Path root = HostileImages.remoteprocRoot(dir);
        Path planted = Files.writeString(Files.createDirectories(dir.resolve("elsewhere")).resolve("victim"), "victim");
        Path staged = root.resolve("lib/firmware/m3.mbn");
        Files.createSymbolicLink(staged, planted);
        CliRun run = CliRun.of("rproc", "start", "m3", image, "--as", "m3.mbn", "--root", root, "--sysfs", "sim");
        assertEquals(0, run.exit(), run::toString);
        assertEquals("victim", Files.readString(planted));
        assertEquals(-1L, Files.mismatch(image, staged), "the staged file is the image");
        assertFalse(Files.isSymbolicLink(staged));
    }

    /** An Error the machine raises (here as a fault reading a mapped file would) is one line and exit 3. */
    @Test
    void anErrorFromTheMachine_isOneLineAndExit3NotAStackTrace() {
        @CommandLine.Command(name = "fault")
        class Fault implements Callable<Integer> {
            @Override
            public Integer call() {
                throw new InternalError("a fault occurred in an unsafe memory access operation");
            }
        }
        CommandLine cmd = CommandTree.commandLine();
        cmd.addSubcommand(new Fault());
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        assertEquals(3, cmd.execute("fault"));
        assertEquals("mdtload: internal error: a fault occurred in an unsafe memory access operation\n", err.toString());
    }
}
