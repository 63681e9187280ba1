package dev.mdtload.samples;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Severity;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.files.AtomicFile;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.DigestAlgorithm;
import dev.mdtload.mbn.HashSegment;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.mbn.PartName;
import dev.mdtload.mbn.Signer;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One image per rule, each breaking that rule and no other: a valid sample image with one thing
 * changed. Where the change is in the program headers, the headers' digest is computed over the
 * changed headers, so the only fault left is the one the sample is named after. An error rule's
 * image goes to {@code broken/} and is refused; a warning rule's goes to {@code warning/} and is
 * valid, carrying that warning (the shapes of real images once refused: wlanmdsp.mbn, wcnss.mbn,
 * msbtfw11.mbn).
 */
final class BrokenSamples {
    private BrokenSamples() {}

    /** Why the signature rules have no sample here; their tests are in the signature and sign packages. */
    private static final String SIGNATURES_ONLY = "checked only by `validate --signatures`, against real keys and a "
            + "trust anchor; the samples are made deterministically, so they carry no real signature";

    /** Rules that no file at rest can break, with the reason the README gives. */
    static final Map<Rule, String> WITHOUT_SAMPLE = new EnumMap<>(Map.of(Rule.PART_CHANGED,
            "a part that changes size between being measured and being mapped: a race while mdtload reads it, "
                    + "which no file at rest can show",
            Rule.UNSIGNED, SIGNATURES_ONLY,
            Rule.CHAIN_INVALID, SIGNATURES_ONLY,
            Rule.ROOT_MISMATCH, SIGNATURES_ONLY,
            Rule.SIGNATURE_INVALID, SIGNATURES_ONLY,
            Rule.SIGNATURE_SCHEME_UNKNOWN, SIGNATURES_ONLY,
            Rule.ELF64_NOT_LOADABLE, "a verdict of the kernel, not of the file alone: every `valid/*-elf64-*` image "
                    + "breaks it under any kernel (`validate --kernel 6.12.95`; Debian's 6.1.192 and 6.12.95 refuse "
                    + "them with -EINVAL) and passes `--kernel none`, mdtload's own reading",
            Rule.TAKEN_AS_SPLIT, "a verdict of the kernel: every `valid/*-elf32-*-squashed.mbn` image breaks it "
                    + "under `validate --kernel 6.1.192` (its bss header lies past the file and 6.1.192 has the "
                    + "header-based split detection without its 6.5 fix; Debian's 6.1.192 fails with -ENOENT loading "
                    + "the .b02); earlier 6.1 releases, mainline and 6.12.95 load them"));

    private static final long PT_NOTE = 4;

    /** Broken against a carveout, not on its own: the fixed image and the carveout it fails to fit. */
    static final String CARVEOUT_FILE = "carveout.txt";

    /** Like the real wpss image: MBN v6, ELF32, fixed. */
    private static final SampleImage V6 = new SampleImage(6, ElfClass.ELF32, false);
    private static final SampleImage V3_RELOC = new SampleImage(3, ElfClass.ELF32, true);
    private static final SampleImage V5_64 = new SampleImage(5, ElfClass.ELF64, false);
    private static final SampleImage V7_64 = new SampleImage(7, ElfClass.ELF64, true);

    /** A change to the bytes of a valid squashed image, given what was assembled. */
    @FunctionalInterface
    private interface Patch {
        byte[] apply(Assembled image, byte[] squashed) throws InvalidImageException;
    }

    /** A change to the files of a valid split image, given its .mdt. */
    @FunctionalInterface
    private interface Damage {
        void apply(Path mdt) throws IOException;
    }

    static List<Sample> all() {
        return List.of(
                patched(Rule.FILE_TOO_SHORT, V6, "the first 40 bytes of a valid ELF32 image: the identification "
                        + "without the rest of the 52-byte header", (a, b) -> Arrays.copyOf(b, 40)),
                patched(Rule.BAD_MAGIC, V6, "e_ident begins `\\x7fELX` instead of `\\x7fELF`", (a, b) -> {
                    b[3] = 'X';
                    return b;
                }),
                patched(Rule.UNSUPPORTED_CLASS, V6, "EI_CLASS 3, neither ELFCLASS32 (1) nor ELFCLASS64 (2)", (a, b) -> {
                    b[ElfWriter.EI_CLASS] = 3;
                    return b;
                }),
                patched(Rule.NOT_LITTLE_ENDIAN, V6, "EI_DATA 2: big-endian", (a, b) -> {
                    b[ElfWriter.EI_DATA] = 2;
                    return b;
                }),
                patched(Rule.BAD_PHENTSIZE, V5_64, "ELF64 with e_phentsize 32, the size of an ELF32 program header",
                        header(Map.of("e_phentsize", 32L))),
                patched(Rule.PHDRS_OUT_OF_BOUNDS, V6, "the file ends in the middle of its program-header table",
                        (a, b) -> Arrays.copyOf(b, (int) ElfWriter.headersSize(ElfClass.ELF32, 2) + 10)),
                patched(Rule.BAD_SHENTSIZE, V6, "declares one section header of e_shentsize 1",
                        header(Map.of("e_shnum", 1L, "e_shentsize", 1L))),
                patched(Rule.SHDRS_OUT_OF_BOUNDS, V5_64, "declares one 64-byte section header at e_shoff 0xfffff000, "
                        + "far past the end of the file", header(Map.of("e_shnum", 1L, "e_shentsize", 64L, "e_shoff", 0xfffff000L))),
                tooManyPhdrs(),
                assembled(Rule.FILESZ_EXCEEDS_MEMSZ, V6, false, "the data segment has p_filesz 0x800 > p_memsz 0x400",
                        V6.builder().segments(List.of(V6.code(), resized(V6.data(), 0x800, 0x400), V6.bss()))),
                patched(Rule.SEGMENT_TRUNCATED, V6, "a single file cut 100 bytes short: the data segment runs past its end",
                        (a, b) -> Arrays.copyOf(b, b.length - 100)),
                assembled(Rule.OFFSET_OVERFLOW, V6, true, "the data segment's p_offset 0xffffff00 + p_filesz 600 "
                                + "wraps 32 bits (split, so every other segment is in its part)",
                        V6.builder().editProgramHeaders(phdr(SampleImage.DATA_INDEX,
                                p -> new ProgramHeader(p.index(), p.p_type(), p.p_flags(), 0xffff_ff00L, p.p_vaddr(),
                                        p.p_paddr(), p.p_filesz(), p.p_memsz(), p.p_align())))),
                assembled(Rule.ADDRESS_OVERFLOW, V6, false, "the data segment's p_paddr 0xfffff800 + p_memsz 0x1000 "
                                + "ends at 0x100000800: it wraps the 32-bit address space",
                        V6.builder().segments(List.of(V6.code(),
                                resized(readdressed(V6.data(), 0xffff_f800L), SampleImage.DATA_SIZE, 0x1000), V6.bss()))),
                assembled(Rule.NO_LOADABLE_SEGMENT, V6, false, "headers and hash segment only: nothing to load",
                        V6.builder().segments(List.of())),
                assembled(Rule.SEGMENTS_OVERLAP, V6, false, "the data segment starts 0x400 into the code segment's "
                                + "1500 file bytes: copied after it, it replaces bytes the secure world hashes",
                        V6.builder().segments(List.of(V6.code(), readdressed(V6.data(), V6.base() + 0x400), V6.bss()))),
                zeroFillOverlap(),
                damaged(Rule.PART_MISSING, V6, "the code segment's part (.b02) is missing",
                        mdt -> Files.delete(PartName.of(mdt, SampleImage.CODE_INDEX))),
                damaged(Rule.PART_SIZE_MISMATCH, V6, "the data segment's part (.b03) has one byte more than p_filesz",
                        mdt -> Files.write(PartName.of(mdt, SampleImage.DATA_INDEX), new byte[] {0},
                                StandardOpenOption.APPEND)),
                damaged(Rule.PART_NOT_REGULAR_FILE, V6, "the code segment's part (.b02) is a directory (holding a .keep, "
                        + "so that git keeps it)", mdt -> {
                            Path part = PartName.of(mdt, SampleImage.CODE_INDEX);
                            Files.delete(part);
                            Files.createDirectory(part);
                            Files.write(part.resolve(".keep"), new byte[0]);
                        }),
                damaged(Rule.PART_UNREADABLE, V6, "the code segment's part (.b02) is a symbolic link to itself", mdt -> {
                    Path part = PartName.of(mdt, SampleImage.CODE_INDEX);
                    Files.delete(part);
                    Files.createSymbolicLink(part, part.getFileName());
                }),
                partOutsideDirectory(),
                damaged(Rule.PART_DIFFERS, V6, "the hash segment's part (.b01) differs in its last byte from the copy "
                        + "the .mdt holds", mdt -> {
                            Path part = PartName.of(mdt, 1);
                            byte[] bytes = Files.readAllBytes(part);
                            bytes[bytes.length - 1] ^= 1;
                            Files.write(part, bytes);
                        }),
                assembled(Rule.METADATA_INVALID, V6, false, "program header 0 (the ELF headers) is PT_LOAD, which the "
                                + "metadata handed to the secure world may not be",
                        V6.builder().editProgramHeaders(phdr(0,
                                p -> new ProgramHeader(p.index(), ProgramHeader.PT_LOAD, p.p_flags(), p.p_offset(),
                                        p.p_vaddr(), p.p_paddr(), p.p_filesz(), p.p_memsz(), p.p_align())))),
                assembled(Rule.HASH_SEGMENT_MISSING, V6, false, "program header 1 has p_flags 0: no QCOM type 2 "
                                + "anywhere, a plain ELF",
                        V6.builder().editProgramHeaders(phdr(1, p -> withFlags(p, 0)))),
                assembled(Rule.HASH_SEGMENT_DUPLICATE, V6, false, "the bss segment's p_flags say QCOM type 2 too",
                        V6.builder().editProgramHeaders(phdr(SampleImage.BSS_INDEX, p -> withFlags(p, 0x0220_0006L)))),
                assembled(Rule.HASH_HEADER_TRUNCATED, V6, false, "the hash segment's p_filesz is 20, shorter than "
                                + "its 48-byte v6 header",
                        V6.builder().editProgramHeaders(phdr(1, p -> withFilesz(p, 20)))),
                patched(Rule.HASH_VERSION_UNSUPPORTED, V6, "the hash segment says MBN version 4", (a, b) -> {
                    int at = (int) (a.programHeaders().get(1).p_offset() + HashSegment.VERSION_OFFSET);
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 4);
                    return b;
                }),
                patched(Rule.HASH_TABLE_SIZE_MISMATCH, V3_RELOC, "e_phnum is 4 (the bss header dropped), but the "
                        + "digest table holds 5 digests", header(Map.of("e_phnum", 4L))),
                assembled(Rule.HASH_TABLE_OUT_OF_BOUNDS, V7_64, false, "the hash segment's p_filesz is one byte "
                                + "short of the end of its digest table",
                        V7_64.builder().editProgramHeaders(phdr(1, p -> withFilesz(p, p.p_filesz() - 1)))),
                assembled(Rule.SIGNATURE_OUT_OF_BOUNDS, V6, false, "with a blank 256-byte signature and 512-byte "
                                + "chain field, the hash segment's p_filesz is one byte short of the chain's end",
                        V6.builder().signer(new BlankSigner())
                                .editProgramHeaders(phdr(1, p -> withFilesz(p, p.p_filesz() - 1)))),
                patched(Rule.DIGEST_MISMATCH, V6, "one bit of the code segment flipped", (a, b) -> {
                    b[(int) a.programHeaders().get(SampleImage.CODE_INDEX).p_offset() + 100] ^= 1;
                    return b;
                }),
                fileBytesOverlap(),
                hashWorkExceeded(),
                hashAlgorithmUnusual(),
                patched(Rule.DIGEST_NOT_ZERO, V5_64, "the bss segment's digest entry is 0xa5 bytes, neither zeros "
                        + "nor the digest of nothing", BrokenSamples::bssDigestNotZero),
                outsideCarveout());
    }

    /** Where a rule's image goes: {@code broken/} for an error, {@code warning/} for a warning. */
    static String directory(Rule rule) {
        return rule.severity() == Severity.ERROR ? "broken/" : "warning/";
    }

    private static Sample sample(Rule rule, String extension, String description, Sample.Writer writer) {
        return new Sample(directory(rule) + rule.id() + "/" + rule.id() + extension, rule, description, writer);
    }

    private static Sample patched(Rule rule, SampleImage base, String description, Patch patch) {
        return sample(rule, ".mbn", base.describe() + ": " + description, path -> {
            Assembled image = base.builder().build().assemble();
            AtomicFile.write(path, true, patch.apply(image, image.squashed()));
        });
    }

    private static Sample assembled(Rule rule, SampleImage base, boolean split, String description,
                                    ImageAssembler.Builder builder) {
        return sample(rule, split ? ".mdt" : ".mbn", base.describe() + ": " + description, path -> {
            Assembled image = builder.build().assemble();
            if (split) {
                image.writeSplit(path);
            } else {
                image.writeSquashed(path);
            }
        });
    }

    private static Sample damaged(Rule rule, SampleImage base, String description, Damage damage) {
        return sample(rule, ".mdt", base.describe() + ", split: " + description, path -> {
            base.builder().build().assemble().writeSplit(path);
            damage.apply(path);
        });
    }

    /** Sets ELF header fields by their {@code <elf.h>} names. */
    private static Patch header(Map<String, Long> values) {
        return (a, b) -> {
            ElfClass c = b[ElfWriter.EI_CLASS] == ElfClass.ELF64.ident() ? ElfClass.ELF64 : ElfClass.ELF32;
            values.forEach((field, value) -> ElfWriter.setHeaderField(b, c, field, value));
            return b;
        };
    }

    private static UnaryOperator<List<ProgramHeader>> phdr(int index, UnaryOperator<ProgramHeader> edit) {
        return phdrs -> {
            List<ProgramHeader> edited = new ArrayList<>(phdrs);
            edited.set(index, edit.apply(phdrs.get(index)));
            return edited;
        };
    }

    private static ProgramHeader withFlags(ProgramHeader p, long flags) {
        return new ProgramHeader(p.index(), p.p_type(), flags, p.p_offset(), p.p_vaddr(), p.p_paddr(), p.p_filesz(),
                p.p_memsz(), p.p_align());
    }

    private static ProgramHeader withFilesz(ProgramHeader p, long filesz) {
        return new ProgramHeader(p.index(), p.p_type(), p.p_flags(), p.p_offset(), p.p_vaddr(), p.p_paddr(), filesz,
                p.p_memsz(), p.p_align());
    }

    private static LoadSegment resized(LoadSegment s, int filesz, long memsz) {
        return new LoadSegment(s.paddr(), s.vaddr(), s.flags(), Arrays.copyOf(s.data(), filesz), memsz);
    }

    private static LoadSegment readdressed(LoadSegment s, long paddr) {
        return new LoadSegment(paddr, s.vaddr(), s.flags(), s.data(), s.memsz());
    }

    private static byte[] bssDigestNotZero(Assembled image, byte[] squashed) throws InvalidImageException {
        List<ProgramHeader> phdrs = image.programHeaders();
        HashSegment hash = HashSegment.parse(MemorySegment.ofArray(image.parts().get(1)), phdrs.size(), "sample", 1);
        int length = hash.algorithm().length();
        long entry = phdrs.get(1).p_offset() + hash.digestTable().offset() + (long) SampleImage.BSS_INDEX * length;
        Arrays.fill(squashed, (int) entry, (int) entry + length, (byte) 0xa5);
        return squashed;
    }

    /**
     * 101 program headers: 98 bss segments, then one with bytes at index 100, whose part no loader
     * can name (the kernel's two-digit name overflows). Like q6_fw, the bss segments have no parts.
     */
    private static Sample tooManyPhdrs() {
        SampleImage base = V3_RELOC;
        return sample(Rule.TOO_MANY_PHDRS, ".mdt", base.describe() + ", split: 101 program headers, 98 of them bss, "
                + "the last (index 100) with 256 bytes that would have to come from a .b100", path -> {
                    List<LoadSegment> segments = new ArrayList<>();
                    long flags = base.flags(0x6);
                    for (int i = 0; i < 98; i++) {
                        segments.add(LoadSegment.bss(base.base() + 0x1000L * i, base.base() + 0x1000L * i, flags, 0x1000));
                    }
                    long last = base.base() + 0x1000L * 98;
                    segments.add(new LoadSegment(last, last, base.flags(0x5), base.bytes(256, 1), 0x1000));
                    Assembled image = base.builder().segments(segments).build().assemble();
                    AtomicFile.write(PartName.of(path, 0), true, image.parts().get(0));
                    AtomicFile.write(PartName.of(path, 1), true, image.parts().get(1));
                    AtomicFile.write(path, true, image.mdt());
                });
    }

    /** PT_NOTE 5 ({@code length} bytes at {@code at} of the code or data segment), with the digest of those bytes. */
    private static LoadSegment note(LoadSegment in, int at, int length) {
        return new LoadSegment(in.paddr() + at, in.vaddr() + at, 0x4, Arrays.copyOfRange(in.data(), at, at + length), length);
    }

    /** Turns the headers from {@code first} on into PT_NOTEs over {@code in}'s file bytes at the given offsets. */
    private static UnaryOperator<List<ProgramHeader>> notesInside(int in, int first, List<Integer> at) {
        return phdrs -> {
            List<ProgramHeader> edited = new ArrayList<>(phdrs);
            for (int i = 0; i < at.size(); i++) {
                ProgramHeader n = phdrs.get(first + i);
                edited.set(n.index(), new ProgramHeader(n.index(), PT_NOTE, n.p_flags(),
                        phdrs.get(in).p_offset() + at.get(i), n.p_vaddr(), n.p_paddr(), n.p_filesz(), n.p_memsz(), 4));
            }
            return edited;
        };
    }

    /**
     * The shape of ath10k's WCN3990 wlanmdsp.mbn (and apq8016 modem.mbn): a PT_NOTE whose 0x2e
     * bytes lie inside the data segment, with the digest of those bytes. The kernel loads only the
     * PT_LOAD segment; the note's bytes are hashed as its own range.
     */
    private static Sample fileBytesOverlap() {
        return assembled(Rule.FILE_BYTES_OVERLAP, V6, false, "program header 5 is a PT_NOTE over 0x2e bytes at "
                        + "0x100 into the data segment's file bytes, with their digest (like WCN3990 wlanmdsp.mbn)",
                V6.builder().segments(List.of(V6.code(), V6.data(), V6.bss(), note(V6.data(), 0x100, 0x2e)))
                        .editProgramHeaders(notesInside(SampleImage.DATA_INDEX, 5, List.of(0x100))));
    }

    /**
     * 150 PT_NOTE headers over 1000 bytes of the code segment, each 3 bytes further in: 150 distinct
     * ranges, more than 4 times the file's bytes to hash, refused before hashing.
     */
    private static Sample hashWorkExceeded() {
        List<LoadSegment> segments = new ArrayList<>(V6.segments());
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            at.add(3 * i);
            segments.add(note(V6.code(), 3 * i, 1000));
        }
        return assembled(Rule.HASH_WORK_EXCEEDED, V6, false, "150 PT_NOTE headers over 1000 bytes of the code "
                        + "segment, each 3 bytes further in: 157 KB of distinct ranges to hash in a 21 KB file",
                V6.builder().segments(segments).editProgramHeaders(notesInside(SampleImage.CODE_INDEX, 5, at)));
    }

    /** The shape of the DragonBoard 410c's wcnss.mbn: two bss segments (p_filesz 0) at one address. */
    private static Sample zeroFillOverlap() {
        LoadSegment bss = V6.bss();
        return assembled(Rule.ZERO_FILL_OVERLAP, V6, false, "program header 5 is a second bss segment "
                        + "(p_filesz 0, p_memsz 0x1000) at the bss segment's address (like apq8016 wcnss.mbn)",
                V6.builder().segments(List.of(V6.code(), V6.data(), bss,
                        LoadSegment.bss(bss.paddr(), bss.vaddr(), bss.flags(), 0x1000))));
    }

    /** The shape of qca/msbtfw11.mbn: an MBN v6 hash segment whose digest table holds SHA-256 digests. */
    private static Sample hashAlgorithmUnusual() {
        return assembled(Rule.HASH_ALGORITHM_UNUSUAL, V6, false, "the v6 digest table holds SHA-256 digests "
                        + "(32 bytes per program header) instead of SHA-384 (like qca/msbtfw11.mbn)",
                V6.builder().digestAlgorithm(DigestAlgorithm.SHA256));
    }

    /** The part is a link to a file of the right size and bytes, but in another directory. */
    private static Sample partOutsideDirectory() {
        Rule rule = Rule.PART_OUTSIDE_DIRECTORY;
        String name = rule.id() + ".mdt";
        return new Sample("broken/" + rule.id() + "/image/" + name, rule, V6.describe() + ", split: the code "
                + "segment's part (.b02) is a link to ../outside/, where a copy of the right bytes lies", path -> {
                    V6.builder().build().assemble().writeSplit(path);
                    Path part = PartName.of(path, SampleImage.CODE_INDEX);
                    Path outside = path.getParent().resolveSibling("outside");
                    Files.createDirectories(outside);
                    Files.move(part, outside.resolve(part.getFileName()));
                    Files.createSymbolicLink(part, Path.of("..", "outside", part.getFileName().toString()));
                });
    }

    /** A valid fixed image and a carveout too small for it, written beside it for {@code mdtload map}. */
    private static Sample outsideCarveout() {
        Rule rule = Rule.SEGMENT_OUTSIDE_CARVEOUT;
        long phys = V6.base();
        long size = 0x2000;
        long bss = V6.base() + 0x2000;
        String carveout = String.format("""
                # A valid image that does not fit this carveout: its bss segment (4) needs 0x%x..0x%x.
                # mdtload map %s.mbn --phys 0x%x --size 0x%x  fails with [%s]
                phys=0x%x
                size=0x%x
                """, bss, bss + SampleImage.BSS_MEMSZ, rule.id(), phys, size, rule.id(), phys, size);
        return sample(rule, ".mbn", V6.describe() + ": valid on its own; its bss segment lies past the end of "
                + String.format("the 0x%x-byte carveout at 0x%x given in %s", size, phys, CARVEOUT_FILE), path -> {
                    V6.builder().build().assemble().writeSquashed(path);
                    AtomicFile.write(path.resolveSibling(CARVEOUT_FILE), true, carveout.getBytes(StandardCharsets.UTF_8));
                });
    }

    /** Fields of the announced sizes, left blank: validation reads their sizes, never their contents. */
    private static final class BlankSigner implements Signer {
        @Override
        public int signatureSize() {
            return 256;
        }

        @Override
        public byte[] certChain() {
            byte[] chain = new byte[512];
            Arrays.fill(chain, (byte) 0xff);
            return chain;
        }

        @Override
        public byte[] sign(byte[] signedBytes) {
            return new byte[0];
        }
    }
}
