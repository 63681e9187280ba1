package dev.mdtload.image;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.fuzz.HeaderField;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.mbn.PartName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment sums that can wrap (docs/limits.md): p_offset + p_filesz, p_paddr + p_memsz and
 * the carveout placement, in 32 and 64 bits, plus the program-header index that no .bNN name can
 * hold. Each hostile value is written into a valid image and must end as its own rule on that
 * segment.
 */
class SegmentWrapTest {
    private static final int CODE = 2;
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

    /** A valid signed image: headers, hash segment, then one 64-byte code segment (index 2). */
    private static byte[] image(ElfClass c) {
        long base = c == ElfClass.ELF32 ? 0x4b00_0000L : 0x2_0000_0000L;
        return assembled(c, List.of(new LoadSegment(base, base, 5, new byte[64], 0x1000))).squashed();
    }

    private static Assembled assembled(ElfClass c, List<LoadSegment> segments) {
        return ImageAssembler.builder().elfClass(c).machine(ElfWriter.EM_QDSP6).mbnVersion(6)
                .hashAddress(0x100_0000L).segments(segments).build().assemble();
    }

    private List<Violation> errors(byte[] bytes) throws IOException {
        Path file = fs.getPath("/fw/wrap.mbn");
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return new Validator(false).validate(file).errors();
    }

    private static boolean has(List<Violation> errors, Rule rule, int segment) {
        return errors.stream().anyMatch(v -> v.rule() == rule && v.segment() != null && v.segment() == segment);
    }

    /** One hostile value written into the code segment's program header. */
    private record Write(HeaderField field, long value) {}

    /** A class, the values that make one sum wrap, and the rule that must say so. */
    private record Wrap(ElfClass elfClass, Rule rule, List<Write> writes) {}

    private static Arguments wrap(String sentence, ElfClass c, Rule rule, Write... writes) {
        return Arguments.of(Named.of(sentence, new Wrap(c, rule, List.of(writes))));
    }

    static Stream<Arguments> wraps() {
        return Stream.of(
                wrap("ELF32 p_offset 0xfffff000 + p_filesz 0x2000 passes 4 GiB", ElfClass.ELF32, Rule.OFFSET_OVERFLOW,
                        new Write(HeaderField.P_OFFSET, 0xffff_f000L), new Write(HeaderField.P_FILESZ, 0x2000)),
                wrap("ELF64 p_offset 2^63", ElfClass.ELF64, Rule.OFFSET_OVERFLOW,
                        new Write(HeaderField.P_OFFSET, Long.MIN_VALUE)),
                // the kernel's u64 sum would call this "inside the file"
                wrap("ELF64 p_offset 2^64 - 16 + p_filesz 32 wraps to 16", ElfClass.ELF64, Rule.OFFSET_OVERFLOW,
                        new Write(HeaderField.P_OFFSET, -16L), new Write(HeaderField.P_FILESZ, 32)),
                wrap("ELF64 p_offset 2^63 - 16 + p_filesz 32 passes 2^63", ElfClass.ELF64, Rule.OFFSET_OVERFLOW,
                        new Write(HeaderField.P_OFFSET, Long.MAX_VALUE - 15), new Write(HeaderField.P_FILESZ, 32)),
                // as signed longs 2^63 would be "smaller" than p_memsz 0x1000
                wrap("ELF64 p_filesz 2^63 compared unsigned with p_memsz", ElfClass.ELF64, Rule.FILESZ_EXCEEDS_MEMSZ,
                        new Write(HeaderField.P_FILESZ, Long.MIN_VALUE)),
                wrap("ELF32 p_paddr 0xfffff000 + p_memsz 0x2000 passes 4 GiB", ElfClass.ELF32, Rule.ADDRESS_OVERFLOW,
                        new Write(HeaderField.P_PADDR, 0xffff_f000L), new Write(HeaderField.P_MEMSZ, 0x2000)),
                wrap("ELF64 p_paddr 2^64 - 0x1000 + p_memsz 0x2000 wraps past 2^64", ElfClass.ELF64, Rule.ADDRESS_OVERFLOW,
                        new Write(HeaderField.P_PADDR, -0x1000L), new Write(HeaderField.P_MEMSZ, 0x2000)),
                wrap("ELF64 p_paddr 2^63 - 0x1000 + p_memsz 0x2000 passes 2^63", ElfClass.ELF64, Rule.ADDRESS_OVERFLOW,
                        new Write(HeaderField.P_PADDR, Long.MAX_VALUE - 0xfff), new Write(HeaderField.P_MEMSZ, 0x2000)));
    }

    @ParameterizedTest
    @MethodSource("wraps")
    void validate_namesTheRuleOfEveryWrappingSegmentSum(Wrap w) throws IOException {
        byte[] bytes = image(w.elfClass());
        for (Write write : w.writes()) {
            write.field().set(bytes, w.elfClass(), CODE, write.value());
        }
        List<Violation> errors = errors(bytes);
        assertTrue(has(errors, w.rule(), CODE), () -> "expected " + w.rule() + " on segment " + CODE + ", got " + errors);
    }

    @Test
    void place_refusesACarveoutWhoseEndPasses2To63() throws Exception {
        Path file = fs.getPath("/fw/ok.mbn");
        Files.createDirectories(file.getParent());
        Files.write(file, image(ElfClass.ELF64));
        try (FirmwareImage image = FirmwareImage.open(file)) {
            LoadLayout layout = image.layout();
            assertThrows(IllegalArgumentException.class, () -> layout.place("ok.mbn", Long.MAX_VALUE - 0xfff, 0x2000));
            assertThrows(IllegalArgumentException.class, () -> layout.place("ok.mbn", -0x1000L, 0x2000));
        }
    }

    @Test
    void open_refusesASplitPartIndexThatNoBnnNameHolds() throws Exception {
        // 101 program headers: parts .b00 to .b99 exist, the kernel would format index 100 past its name buffer
        List<LoadSegment> segments = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            long address = 0x4000_0000L + i * 0x1000L;
            segments.add(new LoadSegment(address, address, 5, new byte[] {(byte) i}, 0x1000));
        }
        Assembled a = assembled(ElfClass.ELF32, segments);
        Path mdt = fs.getPath("/split/many.mdt");
        Files.createDirectories(mdt.getParent());
        Files.write(mdt, a.mdt());
        for (int i = 0; i <= PartName.MAX_INDEX; i++) {
            Files.write(PartName.of(mdt, i), a.parts().get(i));
        }
        assertEquals("many.b99", PartName.of(mdt, 99).getFileName().toString());
        List<Violation> errors = new Validator(false).validate(mdt).errors();
        assertTrue(has(errors, Rule.TOO_MANY_PHDRS, 100), () -> errors.toString());
        assertTrue(errors.stream().noneMatch(v -> v.segment() != null && v.segment() < 100), () -> errors.toString());
    }
}
