package dev.mdtload.hostile;

import dev.mdtload.elf.ElfClass;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headers that announce huge work (65535 program headers, a 4 GiB digest table) must not make
 * mdtload allocate gigabytes or run for minutes: each runs in a child JVM limited to a 64 MiB heap
 * and must end with exit 1 and one line per violation. The deadline only catches a hang (65535
 * headers over one file's bytes took minutes of hashing before each distinct range was hashed
 * once); how fast validation is, is the benchmarks' business (docs/benchmarks.md).
 */
class ResourceLimitsTest {
    private static final List<String> SMALL_HEAP = List.of("-Xmx64m");
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final Pattern VIOLATION = Pattern.compile("mdtload: (?:warning: )?(.+?): .+ \\[([a-z0-9-]+)]");

    @TempDir
    static Path dir;
    static Path manyHeaders;
    static Path manyRanges;
    static Path hugeTable;
    static Path phnumPastTheFile;

    @BeforeAll
    static void images() throws Exception {
        // 65535 headers, all present, with a digest table of the matching 2 MiB: 4 MiB on disk
        manyHeaders = HostileImages.sameBytesManyTimes(dir.resolve("img/many-headers.mbn"), 0xffff);
        manyRanges = HostileImages.overlappingRanges(dir.resolve("img/many-ranges.mbn"), 4003, 8);
        hugeTable = Files.createDirectories(dir.resolve("img")).resolve("huge-table.mbn");
        HostileImages.builder(ElfClass.ELF32, 6).build().assemble().writeSquashed(hugeTable);
        HostileImages.patch(hugeTable, HostileImages.HASH_OFFSET + 20, 4, 0xffff_ffffL);
        phnumPastTheFile = dir.resolve("img/phnum.mbn");
        HostileImages.builder(ElfClass.ELF64, 7).build().assemble().writeSquashed(phnumPastTheFile);
        HostileImages.patch(phnumPastTheFile, 56, 2, 0xffff);
    }

    /** Rule id → how many lines name it, per image; and every line must be a violation. */
    private static Map<String, Map<String, Long>> violations(ChildJvm.Result r) {
        return r.errLines().stream().map(line -> {
            Matcher m = VIOLATION.matcher(line);
            assertTrue(m.matches(), () -> "not a one-line violation: " + line);
            return m;
        }).collect(Collectors.groupingBy(m -> m.group(1), Collectors.groupingBy(m -> m.group(2), Collectors.counting())));
    }

    @Test
    void validate_ofImagesAnnouncingHugeWork_endsWithExit1InA64MiBHeap() throws Exception {
        ChildJvm.Result r = ChildJvm.run(dir.resolve("validate"), HANG, SMALL_HEAP, List.of("validate",
                manyHeaders.toString(), manyRanges.toString(), hugeTable.toString(), phnumPastTheFile.toString()));
        assertEquals(1, r.exit(), r::err);
        assertEquals(Map.of(
                // headers 3..65534 share one range of segment 2's bytes (a warning each), hashed
                // once, and each has a zero digest entry that the bytes do not match
                manyHeaders.toString(), Map.of("file-bytes-overlap", 0xffffL - 3, "digest-mismatch", 0xffffL - 3),
                // 4000 distinct ranges: refused before any is hashed (the one warning per header stays)
                manyRanges.toString(), Map.of("file-bytes-overlap", 4000L, "hash-work-exceeded", 1L),
                hugeTable.toString(), Map.of("hash-table-size-mismatch", 1L),
                phnumPastTheFile.toString(), Map.of("phdrs-out-of-bounds", 1L)), violations(r));
        assertTrue(r.out().endsWith("4 images: 0 valid, 4 invalid\n"), r.out());
    }

    @Test
    void load_ofSixtyFiveThousandHeadersOverOneFile_endsWithExit1InA64MiBHeapAndNoCarveout() throws Exception {
        Path carveout = dir.resolve("carveout.bin");
        ChildJvm.Result r = ChildJvm.run(dir.resolve("load"), HANG, SMALL_HEAP, List.of("load", manyHeaders.toString(),
                "--carveout", "file:" + carveout, "--phys", "0x4b000000", "--size", "0x100000", "--pas-id", "6"));
        assertEquals(1, r.exit(), r::err);
        // a refused load names its errors only
        assertEquals(Map.of(manyHeaders.toString(), Map.of("digest-mismatch", 0xffffL - 3)), violations(r));
        assertTrue(Files.notExists(carveout));
    }

    /** The same image in one process: the count comes from the headers, not from the code under test. */
    @Test
    void manyHeaders_hasAllItsHeadersInTheFile() throws Exception {
        byte[] head = Files.readAllBytes(manyHeaders);
        int phnum = Short.toUnsignedInt((short) ((head[44] & 0xff) | (head[45] & 0xff) << 8));
        assertEquals(0xffff, phnum);
        assertTrue(head.length >= 52 + 32 * phnum, "e_phoff + e_phnum * e_phentsize lies inside the file");
        Function<Integer, Long> u32 = at -> (head[at] & 0xffL) | (head[at + 1] & 0xffL) << 8
                | (head[at + 2] & 0xffL) << 16 | (head[at + 3] & 0xffL) << 24;
        long hashOffset = u32.apply(52 + 32 + 4);
        assertEquals(32L * phnum, u32.apply((int) hashOffset + 20), "a digest table of one SHA-256 per header");
    }
}
