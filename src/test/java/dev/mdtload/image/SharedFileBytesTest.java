package dev.mdtload.image;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.check.HashWork;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.fuzz.HeaderField;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.testing.RawElf;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Program headers may share file bytes (real firmware: a PT_NOTE or PT_DYNAMIC inside a PT_LOAD):
 * the device loads that, so it is a warning. What stays refused is unbounded work: a range is
 * hashed once however many headers name it (65535 headers over the same megabyte hash one
 * megabyte), and distinct overlapping ranges that would hash more than {@link HashWork#FACTOR}
 * times the file are refused before anything is hashed. The assertions are on bytes hashed, not time.
 */
class SharedFileBytesTest {
    private static final long BASE = 0x4b00_0000L;
    private static final long PT_NOTE = 4;
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

    private ImageReport validate(byte[] bytes, boolean allowUnsigned) throws IOException {
        Path file = fs.getPath("/fw/shared.mbn");
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return new Validator(allowUnsigned).validate(file);
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    /**
     * Segment 2 holds {@code data}; headers 3.. are PT_NULL over {@code offsetOf(i)} .. + {@code filesz}
     * of segment 2's bytes, each with the digest of exactly those bytes (entries written by the
     * test's own SHA-256 over the file, not by the code under test).
     */
    private static byte[] sharing(byte[] data, int phnum, IntUnaryOperator offsetOf, int filesz,
                                  boolean rightDigests) throws Exception {
        List<LoadSegment> segments = new ArrayList<>();
        segments.add(new LoadSegment(BASE, BASE, 0x5, data, data.length));
        for (int i = 3; i < phnum; i++) {
            segments.add(LoadSegment.bss(0, 0, 0, 0));
        }
        Assembled a = ImageAssembler.builder().elfClass(ElfClass.ELF32).machine(ElfWriter.EM_QDSP6).mbnVersion(3)
                .hashAddress(BASE + 0x100_0000L).segments(segments).build().assemble();
        byte[] bytes = a.squashed();
        long dataOffset = a.programHeaders().get(2).p_offset();
        long table = a.programHeaders().get(1).p_offset() + RawElf.digestTableOffset(
                Arrays.copyOfRange(bytes, (int) a.programHeaders().get(1).p_offset(), bytes.length));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Map<Long, byte[]> digests = new HashMap<>();
        for (int i = 3; i < phnum; i++) {
            long offset = dataOffset + offsetOf.applyAsInt(i);
            HeaderField.P_TYPE.set(bytes, ElfClass.ELF32, i, PT_NOTE);
            HeaderField.P_OFFSET.set(bytes, ElfClass.ELF32, i, offset);
            HeaderField.P_FILESZ.set(bytes, ElfClass.ELF32, i, filesz);
            if (rightDigests) {
                byte[] digest = digests.computeIfAbsent(offset,
                        o -> sha.digest(Arrays.copyOfRange(bytes, (int) (long) o, (int) (long) o + filesz)));
                System.arraycopy(digest, 0, bytes, (int) table + 32 * i, 32);
            }
        }
        // the headers changed: their own digest (entry 0) is taken again over the new bytes
        int headers = (int) a.programHeaders().getFirst().p_filesz();
        System.arraycopy(sha.digest(Arrays.copyOf(bytes, headers)), 0, bytes, (int) table, 32);
        return bytes;
    }

    @Test
    void validate_warnsOfNotesInsideALoadSegmentAndKeepsTheImageValid() throws Exception {
        // the WCN3990 wlanmdsp.mbn shape: a 0x2e-byte PT_NOTE and a 0x98-byte one inside PT_LOAD 2
        byte[] bytes = sharing(random(0x4000), 5, i -> i == 3 ? 0x1bc : 0x19a4, 0x2e, true);
        ImageReport r = validate(bytes, false);
        assertEquals(List.of(), r.errors());
        assertEquals(List.of(3, 4), r.warnings().stream().map(Violation::segment).toList());
        assertTrue(r.warnings().stream().allMatch(v -> v.rule() == Rule.FILE_BYTES_OVERLAP), r.warnings()::toString);
        assertEquals(DigestStatus.OK, r.segments().get(3).digest());
        assertEquals(DigestStatus.OK, r.segments().get(4).digest());
    }

    @Test
    void validate_refusesASharedRangeWhoseDigestIsWrong() throws Exception {
        byte[] bytes = sharing(random(0x4000), 4, i -> 0x100, 0x40, false);
        ImageReport r = validate(bytes, false);
        assertEquals(List.of(Rule.DIGEST_MISMATCH), r.errors().stream().map(Violation::rule).toList());
        assertEquals(3, r.errors().getFirst().segment());
    }

    @Test
    void hashBomb_65535HeadersOverTheSameMegabyte_hashesItOnce() throws Exception {
        int megabyte = 1 << 20;
        byte[] bytes = sharing(random(megabyte), 0xffff, i -> 0, megabyte, true);
        ImageReport r = validate(bytes, false);
        assertEquals(List.of(), r.errors());
        assertEquals(0xffff - 3, r.warnings().size());
        // the headers (segment 0) and the megabyte, once; nothing per repeated header
        long headers = 52 + 32L * 0xffff;
        assertEquals(headers + megabyte, r.hashedBytes());
    }

    @Test
    void hashBomb_manyDistinctOverlappingRanges_isRefusedBeforeHashingAnything() throws Exception {
        // 4000 ranges of 32 KiB, each starting 8 bytes after the last: 125 MiB of hashing for a 200 KiB file
        int size = 0x1_0000;
        byte[] bytes = sharing(random(size), 4003, i -> 8 * (i - 3), size / 2, false);
        ImageReport r = validate(bytes, false);
        assertEquals(List.of(Rule.HASH_WORK_EXCEEDED), r.errors().stream().map(Violation::rule).toList());
        assertEquals(0, r.hashedBytes());
        assertTrue(r.errors().getFirst().message().contains("4002 distinct file ranges"), r.errors().getFirst()::message);
    }

    @Test
    void hashBomb_rangesWithinTheBound_areHashedEachOnce() throws Exception {
        // 3 ranges of half the segment: 1.5 x the data, inside 4 x the file
        int size = 0x1_0000;
        byte[] bytes = sharing(random(size), 6, i -> 16 * (i - 3), size / 2, true);
        ImageReport r = validate(bytes, false);
        assertEquals(List.of(), r.errors());
        long headers = 52 + 32L * 6;
        assertEquals(headers + size + 3L * (size / 2), r.hashedBytes());
        assertTrue(r.hashedBytes() <= HashWork.budget(bytes.length));
    }

    @Test
    void validate_letsAPlainElfLoadSegmentCoverItsOwnHeaders() throws IOException {
        // a toolchain ELF: PT_LOAD from offset 0 (headers included) and a PT_NOTE inside it; no digests
        long size = 0x200;
        byte[] headers = ElfWriter.headers(ElfClass.ELF32, ElfWriter.EM_ARM, 0x1000, List.of(
                new ProgramHeader(0, ProgramHeader.PT_LOAD, 5, 0, 0x1000, 0x1000, size, size, 0x1000),
                new ProgramHeader(1, 4, 4, 0x100, 0, 0, 0x20, 0x20, 4)));
        ImageReport r = validate(Arrays.copyOf(headers, (int) size), true);
        assertEquals(List.of(), r.errors());
        assertEquals(0, r.hashedBytes());
    }
}
