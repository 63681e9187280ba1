package dev.mdtload.mbn;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.image.DigestStatus;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assembler's output checked against the facts of ../shared/firmware/README.md and
 * ../shared/docs/mbn-hash-segment.md, read back by a reader written here from the ELF
 * specification, independent of the project's parser.
 */
class ImageAssemblerTest {
    private static final long RELOCATABLE = 1L << 27;
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    static Stream<Arguments> everyKind() {
        List<Arguments> kinds = new ArrayList<>();
        for (int version : List.of(3, 5, 6, 7)) {
            for (ElfClass c : ElfClass.values()) {
                for (boolean relocatable : List.of(false, true)) {
                    kinds.add(Arguments.of(version, c, relocatable));
                }
            }
        }
        return kinds.stream();
    }

    /** Code, data with a zero-filled tail, and bss, at a base above 4 GiB for ELF64. */
    private static List<LoadSegment> segments(ElfClass c, boolean relocatable) {
        long base = c == ElfClass.ELF32 ? 0x4b00_0000L : 0x1_8000_0000L;
        long reloc = relocatable ? RELOCATABLE : 0;
        Random random = new Random(42);
        byte[] code = new byte[1500];
        byte[] data = new byte[600];
        random.nextBytes(code);
        random.nextBytes(data);
        return List.of(
                new LoadSegment(base, base, 0x5 | reloc, code, 0x1000),
                new LoadSegment(base + 0x1000, base + 0x1000, 0x6 | reloc, data, 0x800),
                LoadSegment.bss(base + 0x2000, base + 0x2000, 0x6 | reloc, 0x3000));
    }

    private static ImageAssembler.Builder builder(int version, ElfClass c, boolean relocatable) {
        return ImageAssembler.builder()
                .elfClass(c)
                .machine(c == ElfClass.ELF32 ? ElfWriter.EM_QDSP6 : ElfWriter.EM_AARCH64)
                .entry(segments(c, relocatable).getFirst().paddr())
                .mbnVersion(version)
                .imageId(0xc)
                .hashAddress(segments(c, relocatable).getFirst().paddr() + 0x10_0000)
                .swId(0x1f)
                .segments(segments(c, relocatable));
    }

    @ParameterizedTest(name = "v{0} {1} relocatable={2}")
    @MethodSource("everyKind")
    void assembledImage_validatesSplitAndSquashed(int version, ElfClass c, boolean relocatable) throws Exception {
        Assembled image = builder(version, c, relocatable).build().assemble();
        Path mbn = dir.resolve("image.mbn");
        Path mdt = dir.resolve("image.mdt");
        image.writeSquashed(mbn);
        image.writeSplit(mdt);

        List<LoadSegment> segments = segments(c, relocatable);
        long min = segments.stream().mapToLong(LoadSegment::paddr).min().orElseThrow();
        long end = segments.stream().mapToLong(s -> s.paddr() + s.memsz()).max().orElseThrow();
        long loadSize = (end + PAGE - 1) / PAGE * PAGE - min;
        for (Path path : List.of(mbn, mdt)) {
            ImageReport r = new Validator(false).validate(path);
            assertTrue(r.valid(), () -> path + ": " + r.errors());
            assertEquals(version, r.mbnVersion());
            assertEquals(c.bits(), r.elfClass());
            assertEquals(path.equals(mdt), r.split());
            assertEquals(relocatable, r.relocatable());
            assertEquals(loadSize, r.loadSize());
            assertEquals(min, r.minAddress());
            assertEquals(List.of(DigestStatus.OK, DigestStatus.ZERO, DigestStatus.OK, DigestStatus.OK, DigestStatus.ZERO),
                    r.segments().stream().map(ImageReport.Segment::digest).toList());
        }
    }

    @ParameterizedTest(name = "v{0} {1} relocatable={2}")
    @MethodSource("everyKind")
    void squashedImage_cutByAnIndependentReader_equalsTheSplitFiles(int version, ElfClass c, boolean relocatable)
            throws Exception {
        Assembled image = builder(version, c, relocatable).build().assemble();
        Path mdt = dir.resolve("fw.mdt");
        image.writeSplit(mdt);
        byte[] squashed = image.squashed();
        List<Phdr> phdrs = Phdr.readAll(squashed);

        long lastFileByte = 0;
        for (Phdr p : phdrs) {
            // a bss segment's offset may lie past the end of the file: it has no bytes to take
            byte[] expected = p.filesz == 0 ? new byte[0]
                    : Arrays.copyOfRange(squashed, (int) p.offset, (int) (p.offset + p.filesz));
            assertArrayEquals(expected, Files.readAllBytes(dir.resolve(String.format("fw.b%02d", p.index))),
                    "part " + p.index);
            if (p.filesz > 0) {
                lastFileByte = Math.max(lastFileByte, p.offset + p.filesz);
            }
        }
        assertEquals(lastFileByte, squashed.length, "the squashed file ends with the last segment's bytes");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(phdrs.size() + 1, files.count(), "one .mdt and one part per program header, nothing else");
        }
        Phdr hash = phdrs.get(1);
        byte[] mdtExpected = concat(Arrays.copyOf(squashed, (int) phdrs.getFirst().filesz),
                Arrays.copyOfRange(squashed, (int) hash.offset, (int) (hash.offset + hash.filesz)));
        assertArrayEquals(mdtExpected, Files.readAllBytes(mdt));
    }

    @ParameterizedTest(name = "v{0} {1} relocatable={2}")
    @MethodSource("everyKind")
    void programHeaders_areLaidOutAsRealFirmware(int version, ElfClass c, boolean relocatable) {
        long hashAddress = segments(c, relocatable).getFirst().paddr() + 0x10_0000;
        byte[] squashed = builder(version, c, relocatable).build().assemble().squashed();
        List<Phdr> phdrs = Phdr.readAll(squashed);
        int ehsize = c == ElfClass.ELF32 ? 52 : 64;
        int phentsize = c == ElfClass.ELF32 ? 32 : 56;

        Phdr headers = phdrs.get(0);
        assertEquals(new Phdr(0, 0, 0x0700_0000L, 0, 0, 0, ehsize + 5L * phentsize, 0), headers);
        Phdr hash = phdrs.get(1);
        assertEquals(0, hash.type);
        assertEquals(0x0220_0000L, hash.flags);
        assertEquals(0x1000, hash.offset);
        assertEquals(hashAddress, hash.paddr);
        assertEquals(hashAddress, hash.vaddr);
        assertEquals((hash.filesz + PAGE - 1) / PAGE * PAGE, hash.memsz);
        long previousEnd = hash.offset + hash.filesz;
        List<LoadSegment> given = segments(c, relocatable);
        for (int i = 2; i < phdrs.size(); i++) {
            Phdr p = phdrs.get(i);
            LoadSegment s = given.get(i - 2);
            assertEquals(1, p.type, "PT_LOAD");
            assertEquals(0, p.offset % PAGE, "page-aligned offset");
            assertTrue(p.offset >= previousEnd, "segments do not overlap in the file");
            assertEquals(List.of(s.paddr(), s.vaddr(), s.flags(), (long) s.data().length, s.memsz()),
                    List.of(p.paddr, p.vaddr, p.flags, p.filesz, p.memsz));
            previousEnd = p.offset + p.filesz;
        }
    }

    @ParameterizedTest(name = "v{0} {1} relocatable={2}")
    @MethodSource("everyKind")
    void digestTable_holdsTheHeadersDigestAndZerosForHashAndBss(int version, ElfClass c, boolean relocatable)
            throws Exception {
        byte[] squashed = builder(version, c, relocatable).build().assemble().squashed();
        List<Phdr> phdrs = Phdr.readAll(squashed);
        MessageDigest md = MessageDigest.getInstance(version >= 6 ? "SHA-384" : "SHA-256");
        int length = md.getDigestLength();
        int headerSize = switch (version) {
            case 3, 5 -> 40;
            case 6 -> 48;
            default -> 64;
        };
        int table = (int) phdrs.get(1).offset + headerSize;
        assertEquals(phdrs.size() * length, u32(squashed, (int) phdrs.get(1).offset + 20), "hash_table_size");
        for (Phdr p : phdrs) {
            byte[] entry = Arrays.copyOfRange(squashed, table + p.index * length, table + (p.index + 1) * length);
            byte[] expected = p.index == 1 || p.filesz == 0 ? new byte[length]
                    : md.digest(Arrays.copyOfRange(squashed, (int) p.offset, (int) (p.offset + p.filesz)));
            assertArrayEquals(expected, entry, "digest " + p.index);
        }
    }

    @Test
    void version7_writesTheSoftwareIdIntoItsCommonMetadata() {
        byte[] squashed = builder(7, ElfClass.ELF32, false).swId(0x1f).build().assemble().squashed();
        // common metadata follows the 40 bytes of v7 header fields: major, minor, sw_id, ...
        assertEquals(0x1f, u32(squashed, 0x1000 + 40 + 8));
        assertEquals(3, u32(squashed, 0x1000 + 40 + 16), "hash algorithm 3 = SHA-384");
    }

    @Test
    void signer_signsTheHashSegmentUpToItsDigestTable_paddedToItsField() throws Exception {
        List<byte[]> seen = new ArrayList<>();
        byte[] chain = new byte[300];
        Arrays.fill(chain, (byte) 0xff);
        Signer signer = new Signer() {
            @Override
            public int signatureSize() {
                return 104;
            }

            @Override
            public byte[] certChain() {
                return chain;
            }

            @Override
            public byte[] sign(byte[] signedBytes) {
                seen.add(signedBytes.clone());
                return new byte[] {1, 2, 3};
            }
        };
        Assembled image = builder(6, ElfClass.ELF32, false).signer(signer).build().assemble();
        byte[] squashed = image.squashed();
        Phdr hash = Phdr.readAll(squashed).get(1);
        int tableEnd = 48 + 5 * 48;
        assertEquals(tableEnd + 104 + 300, hash.filesz);
        byte[] segment = Arrays.copyOfRange(squashed, (int) hash.offset, (int) (hash.offset + hash.filesz));
        assertEquals(1, seen.size());
        assertArrayEquals(Arrays.copyOf(segment, tableEnd), seen.getFirst());
        byte[] signature = new byte[104];
        signature[0] = 1;
        signature[1] = 2;
        signature[2] = 3;
        assertArrayEquals(signature, Arrays.copyOfRange(segment, tableEnd, tableEnd + 104));
        assertArrayEquals(chain, Arrays.copyOfRange(segment, tableEnd + 104, segment.length));

        Path mbn = dir.resolve("signed.mbn");
        image.writeSquashed(mbn);
        ImageReport r = new Validator(false).validate(mbn);
        assertTrue(r.valid(), () -> r.errors().toString());
        assertEquals(104, r.signatureSize());
        assertEquals(300, r.certChainSize());
    }

    @Test
    void signer_returningMoreThanItsField_isRefused() {
        Signer greedy = new Signer() {
            @Override
            public int signatureSize() {
                return 8;
            }

            @Override
            public byte[] certChain() {
                return new byte[0];
            }

            @Override
            public byte[] sign(byte[] signedBytes) {
                return new byte[9];
            }
        };
        ImageAssembler assembler = builder(5, ElfClass.ELF32, false).signer(greedy).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, assembler::assemble);
        assertTrue(e.getMessage().contains("9 bytes for a 8-byte signature field"), e.getMessage());
    }

    @Test
    void writeSplit_refusesAPartIndexAbove99_andWritesNothing() throws IOException {
        List<LoadSegment> many = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            many.add(new LoadSegment(0x1000L * i, 0x1000L * i, 6, new byte[] {(byte) i}, 0x1000));
        }
        Assembled image = builder(5, ElfClass.ELF32, false).segments(many).build().assemble();
        Path mdt = dir.resolve("many.mdt");
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> image.writeSplit(mdt));
        assertEquals(Rule.TOO_MANY_PHDRS, e.violations().getFirst().rule());
        assertEquals(100, e.violations().getFirst().segment());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void assemble_refusesAnElf32AddressAbove4GiB_insteadOfCuttingIt() {
        ImageAssembler assembler = builder(5, ElfClass.ELF32, false)
                .segments(List.of(new LoadSegment(0x1_0000_0000L, 0, 6, new byte[16], 16)))
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, assembler::assemble);
        assertTrue(e.getMessage().contains("p_paddr 0x100000000"), e.getMessage());
    }

    @Test
    void builder_namesAMissingParameter() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> ImageAssembler.builder().elfClass(ElfClass.ELF32).machine(40).mbnVersion(5).segments(List.of()).build());
        assertEquals("hashAddress", e.getMessage());
    }

    /** The table moves, nothing else does: same headers at e_phoff, zeros in the gap, segment 0 covering both. */
    @Test
    void programHeaderOffset_placesTheTableThere_andSegment0CoversTheGap() throws Exception {
        Assembled packed = builder(6, ElfClass.ELF32, false).build().assemble();
        Assembled moved = builder(6, ElfClass.ELF32, false).programHeaderOffset(0x40).build().assemble();
        byte[] file = moved.squashed();
        assertEquals(0x40, u32(file, 28), "e_phoff");
        assertArrayEquals(new byte[0x40 - 52], Arrays.copyOfRange(file, 52, 0x40));
        List<Phdr> phdrs = Phdr.readAll(file);
        List<Phdr> before = Phdr.readAll(packed.squashed());
        assertEquals(0x40 + 5 * 32, phdrs.getFirst().filesz(), "segment 0: ELF header, gap and table");
        assertEquals(before.subList(1, before.size()), phdrs.subList(1, phdrs.size()), "the other headers stay");
        Path mdt = dir.resolve("moved.mdt");
        moved.writeSplit(mdt);
        ImageReport r = new Validator(false).validate(mdt);
        assertTrue(r.valid(), () -> r.errors().toString());
        assertThrows(IllegalArgumentException.class,
                () -> builder(6, ElfClass.ELF32, false).programHeaderOffset(40).build());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static long u32(byte[] bytes, int at) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(at));
    }

    /** A program header read straight from the bytes at the offsets the ELF specification gives. */
    record Phdr(int index, long type, long flags, long offset, long vaddr, long paddr, long filesz, long memsz) {
        static List<Phdr> readAll(byte[] file) {
            ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
            boolean elf64 = file[4] == 2;
            long phoff = elf64 ? b.getLong(32) : Integer.toUnsignedLong(b.getInt(28));
            int phentsize = Short.toUnsignedInt(b.getShort(elf64 ? 54 : 42));
            int phnum = Short.toUnsignedInt(b.getShort(elf64 ? 56 : 44));
            List<Phdr> phdrs = new ArrayList<>();
            for (int i = 0; i < phnum; i++) {
                int at = (int) (phoff + (long) i * phentsize);
                phdrs.add(elf64
                        ? new Phdr(i, u32(file, at), u32(file, at + 4), b.getLong(at + 8), b.getLong(at + 16),
                                b.getLong(at + 24), b.getLong(at + 32), b.getLong(at + 40))
                        : new Phdr(i, u32(file, at), u32(file, at + 24), u32(file, at + 4), u32(file, at + 8),
                                u32(file, at + 12), u32(file, at + 16), u32(file, at + 20)));
            }
            return phdrs;
        }
    }
}
