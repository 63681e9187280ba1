package dev.mdtload.fuzz;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.LoadLayout;
import dev.mdtload.image.Validator;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.testing.FixedSigner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.DoubleRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of generated signed images (ImageAssembler, every ELF class and MBN version): they
 * validate, and a single mutation of a header field or of a byte is either harmless (only where
 * mdtload checks nothing, defined by {@link #mustReject}) or rejected with a rule id; nothing
 * else ever comes out.
 */
class ImageMutationPropertiesTest {
    private static final FileSystem FS = Jimfs.newFileSystem(Configuration.unix());
    private static final Path IMAGE = FS.getPath("/firmware/generated.mbn");
    private static final long PAGE = 4096;
    private static final long RELOCATABLE = 1L << 27;
    private static final long PF_RX = 5;

    /** The values that break naive arithmetic: 0, 1, 2^31, 2^32 - 1, 2^32, 2^63 - 1, 2^63 and 2^64 - 1. */
    private static final Long[] BOUNDARIES = {0L, 1L, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L,
            Long.MAX_VALUE, Long.MIN_VALUE, -1L};

    record Generated(ElfClass elfClass, int version, List<LoadSegment> segments, byte[] signature, byte[] chain) {
        Assembled assemble() {
            return ImageAssembler.builder()
                    .elfClass(elfClass).machine(ElfWriter.EM_QDSP6).entry(segments.getFirst().paddr())
                    .mbnVersion(version).imageId(0xc).hashAddress(hashAddress())
                    .segments(segments).signer(new FixedSigner(signature, chain))
                    .build().assemble();
        }

        private long hashAddress() {
            LoadSegment last = segments.getLast();
            return (last.paddr() + last.memsz() + PAGE) & -PAGE;
        }
    }

    @Property(tries = 100)
    void generatedImage_validatesAndFitsACarveoutOfItsLoadSize(@ForAll("images") Generated g) throws Exception {
        byte[] bytes = g.assemble().squashed();
        try (FirmwareImage image = open(bytes)) {
            ImageReport report = new Validator(false).validate(image);
            assertTrue(report.valid(), () -> "generated image rejected: " + report.errors());
            ReferenceReader.requireValid(bytes);
            LoadLayout layout = image.layout();
            assertEquals(g.segments().size(), layout.place("generated", layout.minAddress(), layout.loadSize()).size());
        }
    }

    @Property(tries = 400)
    void headerFieldMutation_isRejectedWithARule(@ForAll("images") Generated g, @ForAll HeaderField field,
                                                 @ForAll("fieldValues") long value,
                                                 @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double phdrPick)
            throws IOException {
        Assembled a = g.assemble();
        byte[] bytes = a.squashed();
        ElfClass c = g.elfClass();
        int phdr = (int) (phdrPick * a.programHeaders().size());
        long mask = field.max(c);
        Assume.that(field.get(bytes, c, phdr) != (value & mask));
        field.set(bytes, c, phdr, value);

        // every header byte is segment 0's, whose digest is entry 0: no change to it can pass
        List<Violation> errors = verdict(bytes);
        assertFalse(errors.isEmpty(), () -> field + " of program header " + phdr + " = 0x" + Long.toHexString(value & mask) + " was accepted");
    }

    @Property(tries = 200)
    void segmentByteMutation_isADigestMismatchOfThatSegment(@ForAll("images") Generated g,
                                                            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double pick,
                                                            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where,
                                                            @ForAll("nonZeroBytes") byte xor) throws IOException {
        Assembled a = g.assemble();
        List<ProgramHeader> withBytes = a.programHeaders().stream()
                .filter(p -> p.p_type() == ProgramHeader.PT_LOAD && p.p_filesz() > 0).toList();
        Assume.that(!withBytes.isEmpty());
        ProgramHeader p = withBytes.get((int) (pick * withBytes.size()));
        byte[] bytes = a.squashed();
        int at = (int) (p.p_offset() + (long) (where * p.p_filesz()));
        bytes[at] ^= xor;

        List<Violation> errors = verdict(bytes);
        assertTrue(errors.stream().anyMatch(v -> v.rule() == Rule.DIGEST_MISMATCH && v.segment() == p.index()),
                () -> "byte " + at + " of segment " + p.index() + " changed, errors: " + errors);
    }

    @Property(tries = 400)
    void anyByteMutation_passesOnlyWhereMdtloadChecksNothing(@ForAll("images") Generated g,
                                                             @ForAll boolean inSegment,
                                                             @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double pick,
                                                             @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where,
                                                             @ForAll("nonZeroBytes") byte xor) throws IOException {
        Assembled a = g.assemble();
        byte[] bytes = a.squashed();
        // half of the picks inside a segment: most of a page-aligned image is padding
        List<ProgramHeader> withBytes = a.programHeaders().stream().filter(p -> p.p_filesz() > 0).toList();
        ProgramHeader p = withBytes.get((int) (pick * withBytes.size()));
        int at = inSegment ? (int) (p.p_offset() + (long) (where * p.p_filesz())) : (int) (where * bytes.length);
        bytes[at] ^= xor;

        List<Violation> errors = verdict(bytes);
        boolean checked = mustReject(a, g.version(), bytes, at);
        Statistics.label("byte").collect(checked ? "checked" : "unchecked", errors.isEmpty() ? "passed" : "rejected");
        if (checked) {
            assertFalse(errors.isEmpty(), () -> "byte " + at + " changed and the image still passed");
        }
        Statistics.label("byte").coverage(c -> {
            c.check("checked", "rejected").percentage(percent -> percent > 25);
            c.check("unchecked", "passed").percentage(percent -> percent > 10);
        });
    }

    /**
     * Whether mdtload must notice a change of the byte at {@code at}. It checks: segment 0 (the
     * headers) and every loadable segment's bytes through their digests; in the hash segment its
     * version, the digest-table size, the metadata sizes that place the table, and the table's
     * entries for segments with bytes. It
     * does not check (the secure world does): padding between segments, the image id, the
     * pointer and total-size words, the v7 common metadata, the signatures and certificate chains,
     * and the size words of those, which it only bounds by the segment's end. A version changed
     * between 3 and 5 (same header size, same digest, no QTI signature here) reads the same table,
     * so it may pass too.
     */
    static boolean mustReject(Assembled a, int version, byte[] mutated, long at) {
        for (ProgramHeader p : a.programHeaders()) {
            if (at < p.p_offset() || at >= p.p_offset() + p.p_filesz()) {
                continue;
            }
            if (!p.isHashSegment()) {
                return true;
            }
            long in = at - p.p_offset();
            int header = switch (version) {
                case 3, 5 -> 40;
                case 6 -> 48;
                default -> 64;
            };
            long table = u32(a.squashed(), p.p_offset() + 20);
            if (in >= header) {
                // no metadata in generated images: the table follows the header. The entries of the
                // hash segment itself and of segments without bytes are never compared by the
                // secure world: a changed one is a warning (digest-not-zero), not a refusal.
                if (in >= header + table) {
                    return false;
                }
                ProgramHeader entryOf = a.programHeaders().get((int) ((in - header) / (version >= 6 ? 48 : 32)));
                return !entryOf.isHashSegment() && entryOf.p_filesz() > 0;
            }
            long word = in / 4 * 4;
            long newVersion = u32(mutated, p.p_offset() + 4);
            if (word == 4 && (version == 3 || version == 5) && (newVersion == 3 || newVersion == 5)) {
                return false;
            }
            List<Long> checked = switch (version) {
                case 3, 5 -> List.of(4L, 20L);
                case 6 -> List.of(4L, 20L, 40L, 44L);
                default -> List.of(4L, 12L, 16L, 20L);
            };
            return checked.contains(word);
        }
        return false;
    }

    @Provide
    Arbitrary<Generated> images() {
        Arbitrary<ElfClass> classes = Arbitraries.of(ElfClass.class);
        Arbitrary<Integer> versions = Arbitraries.of(3, 5, 6, 7);
        Arbitrary<List<byte[]>> contents = Arbitraries.bytes().array(byte[].class).ofMaxSize(48).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Long> tails = Arbitraries.longs().between(0, 3 * PAGE);
        Arbitrary<Boolean> relocatable = Arbitraries.of(true, false);
        Arbitrary<byte[]> signatures = Arbitraries.bytes().array(byte[].class).ofMaxSize(72);
        Arbitrary<byte[]> chains = Arbitraries.bytes().array(byte[].class).ofMaxSize(96);
        return Combinators.combine(classes, versions, contents, tails, relocatable, signatures, chains)
                .as((c, v, data, tail, reloc, sig, chain) -> new Generated(c, v, segments(c, data, tail, reloc), sig, chain));
    }

    /** Segments one after another from a base above 4 GiB for ELF64, each with a zero-filled tail of {@code tail} bytes. */
    private static List<LoadSegment> segments(ElfClass c, List<byte[]> contents, long tail, boolean relocatable) {
        long address = c == ElfClass.ELF32 ? 0x8b00_0000L : 0x2_4000_0000L;
        List<LoadSegment> out = new ArrayList<>();
        for (byte[] data : contents) {
            long memsz = data.length + tail;
            if (memsz == 0) {
                memsz = PAGE;
            }
            out.add(new LoadSegment(address, address, PF_RX | (relocatable ? RELOCATABLE : 0), data, memsz));
            address = (address + memsz + PAGE - 1) & -PAGE;
        }
        return out;
    }

    @Provide
    Arbitrary<Long> fieldValues() {
        return Arbitraries.oneOf(Arbitraries.of(BOUNDARIES), Arbitraries.longs(), Arbitraries.longs().between(0, 0xffff));
    }

    @Provide
    Arbitrary<Byte> nonZeroBytes() {
        return Arbitraries.bytes().filter(b -> b != 0);
    }

    /** The violations mdtload reports, checking they are well-formed: any other exception fails the property. */
    private static List<Violation> verdict(byte[] bytes) throws IOException {
        try (FirmwareImage image = open(bytes)) {
            ImageReport report = new Validator(false).validate(image);
            Verdicts.requireConsistent(report);
            return report.errors();
        } catch (InvalidImageException e) {
            Verdicts.requireRuled(e);
            return e.violations();
        }
    }

    private static FirmwareImage open(byte[] bytes) throws IOException, InvalidImageException {
        Files.createDirectories(IMAGE.getParent());
        Files.write(IMAGE, bytes);
        return FirmwareImage.open(IMAGE);
    }

    private static long u32(byte[] bytes, long at) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt((int) at));
    }
}
