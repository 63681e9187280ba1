package dev.mdtload.image;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Severity;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.Elf;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfHeader;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadLayoutTest {

    private static LoadLayout layout(RealImage image) throws Exception {
        try (FirmwareImage opened = FirmwareImage.open(image.path())) {
            return opened.layout();
        }
    }

    /** Loadable per kernel-facts §2, from the tests' own reader. */
    private static List<RawElf.Phdr> loadable(RealImage image) throws Exception {
        return image.raw().phdrs().stream()
                .filter(p -> p.type() == 1 && p.qcomType() != 2 && p.memsz() != 0).toList();
    }

    @ParameterizedTest
    @EnumSource(RealImage.class)
    void of_givesTheReadmeSpanLoadSizeLowestAddressAndRelocatable(RealImage image) throws Exception {
        LoadLayout l = layout(image);
        assertEquals(image.span, l.span());
        assertEquals(image.loadSize, l.loadSize());
        assertEquals(image.minAddress, l.minAddress());
        assertEquals(image.relocatable, l.relocatable());
        assertEquals(loadable(image).stream().map(RawElf.Phdr::index).toList(),
                l.loadable().stream().map(ProgramHeader::index).toList());
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"VENUS", "A650_ZAP"})
    void place_putsARelocatableImageAtTheCarveoutBase(RealImage image) throws Exception {
        long base = 0x8a00_0000L;
        List<LoadLayout.Placement> placed = layout(image).place("fw", base, image.loadSize);
        List<RawElf.Phdr> expected = loadable(image);
        assertEquals(expected.size(), placed.size());
        for (int i = 0; i < expected.size(); i++) {
            RawElf.Phdr p = expected.get(i);
            assertEquals(p.index(), placed.get(i).phdr().index());
            assertEquals(p.paddr() - image.minAddress, placed.get(i).offset());
            assertEquals(base + (p.paddr() - image.minAddress), placed.get(i).address());
        }
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"M3_FW", "Q6_FW", "WPSS", "MBA"})
    void place_putsAFixedImageAtItsOwnAddresses(RealImage image) throws Exception {
        long base = image.minAddress - 0x10_0000;
        List<LoadLayout.Placement> placed = layout(image).place("fw", base, image.loadSize + 0x10_0000);
        List<RawElf.Phdr> expected = loadable(image);
        assertEquals(expected.size(), placed.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).paddr(), placed.get(i).address());
            assertEquals(expected.get(i).paddr() - base, placed.get(i).offset());
        }
    }

    @Test
    void place_refusesAFixedImageWhoseCarveoutStartsAboveItsLowestSegment() throws Exception {
        RealImage image = RealImage.WPSS;
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> layout(image).place("wpss.mdt", image.minAddress + 0x1000, image.loadSize));
        assertEquals(Rule.SEGMENT_OUTSIDE_CARVEOUT, e.rule());
        assertEquals(2, e.violations().getFirst().segment(), "segment 2 is at the lowest address");
        assertEquals(1, e.violations().size(), "one refusal, not one per segment");
        assertTrue(e.violations().getFirst().message().endsWith("image is fixed at 0x9ae00000; use --phys 0x9ae00000"),
                e::getMessage);
    }

    @Test
    void place_namesTheBaseAndTheSizeAFixedImageNeedsWhenBothAreWrong() throws Exception {
        String message = onlyRefusal(RealImage.WPSS, 0x8b20_0000L, 0x1000);
        assertTrue(message.endsWith(String.format("image is fixed at 0x9ae00000; use --phys 0x9ae00000 --size 0x%x",
                RealImage.WPSS.loadSize)), message);
    }

    @Test
    void place_namesTheSizeARelocatableImageNeeds() throws Exception {
        String message = onlyRefusal(RealImage.VENUS, 0x8a00_0000L, 0x1000);
        assertTrue(message.endsWith(String.format("the image spans 0x%x bytes from its base; use --size 0x%x "
                + "(its load size)", RealImage.VENUS.span, RealImage.VENUS.loadSize)), message);
    }

    /** The message of the one violation placing {@code image} in this carveout gives: one, however many segments fall out. */
    private static String onlyRefusal(RealImage image, long base, long size) throws Exception {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> layout(image).place(image.fileName(), base, size));
        assertEquals(1, e.violations().size(), e::getMessage);
        return e.violations().getFirst().message();
    }

    @Test
    void place_refusesEverySegmentThatRunsPastTheCarveoutEnd() throws Exception {
        RealImage image = RealImage.VENUS;
        // one byte short of the span: only the segment reaching the highest address falls out
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> layout(image).place("venus.mbn", 0x8a00_0000L, image.span - 1));
        long highest = loadable(image).stream()
                .max((a, b) -> Long.compare(a.paddr() + a.memsz(), b.paddr() + b.memsz())).orElseThrow().index();
        assertEquals(List.of((int) highest), e.violations().stream().map(Violation::segment).toList());
        assertEquals(Rule.SEGMENT_OUTSIDE_CARVEOUT, e.rule());
    }

    @Test
    void place_acceptsARelocatableImageInACarveoutOfExactlyItsSpan() throws Exception {
        RealImage image = RealImage.VENUS;
        assertEquals(loadable(image).size(), layout(image).place("venus.mbn", 0x8a00_0000L, image.span).size());
    }

    private static ProgramHeader load(int index, long paddr, long memsz, long flags) {
        return new ProgramHeader(index, ProgramHeader.PT_LOAD, flags, 0x1000, paddr, paddr, 0, memsz, 0x1000);
    }

    private static LoadLayout of(ElfClass c, List<Violation> violations, ProgramHeader... phdrs) {
        ElfHeader h = new ElfHeader(c, 2, 164, 0, c.ehdrSize(), 0, 0, c.ehdrSize(), c.phdrSize(), phdrs.length, 0, 0);
        return LoadLayout.of("fw.mdt", new Elf(h, Arrays.asList(phdrs)), violations);
    }

    @Test
    void loadSize_roundsTheEndUpTo4KiB() {
        List<Violation> v = new ArrayList<>();
        LoadLayout l = of(ElfClass.ELF32, v, load(0, 0x5000, 1, 0), load(1, 0x6000, 0x1001, 0));
        assertEquals(List.of(), v);
        assertEquals(0x1001 + 0x1000, l.span());
        assertEquals(0x3000, l.loadSize());
    }

    @Test
    void of_rejectsAnImageWithoutLoadableSegment() {
        List<Violation> v = new ArrayList<>();
        of(ElfClass.ELF32, v, load(0, 0x5000, 0, 0),
                new ProgramHeader(1, ProgramHeader.PT_LOAD, 2L << 24, 0, 0, 0, 0, 0x1000, 0));
        assertEquals(List.of(Rule.NO_LOADABLE_SEGMENT), v.stream().map(Violation::rule).toList());
    }

    private static ProgramHeader withBytes(int index, long paddr, long filesz, long memsz) {
        return new ProgramHeader(index, ProgramHeader.PT_LOAD, 0, 0x1000L * index, paddr, paddr, filesz, memsz, 0x1000);
    }

    private static List<Violation> overlaps(ProgramHeader... phdrs) {
        List<Violation> v = new ArrayList<>();
        of(ElfClass.ELF32, v, phdrs);
        return v;
    }

    @Test
    void of_rejectsALaterSegmentWrittenOverAnEarliersFileBytesNamingBoth() {
        // the kernel copies 2, then 3: 3's zero fill lands on 2's last 0x1000 file bytes
        List<Violation> v = overlaps(withBytes(2, 0x8000_0000L, 0x2000, 0x2000), load(3, 0x8000_1000L, 0x1000, 0));
        assertEquals(List.of(Rule.SEGMENTS_OVERLAP), v.stream().map(Violation::rule).toList());
        assertEquals(3, v.getFirst().segment());
        assertTrue(v.getFirst().message().contains("segment 2"), v.getFirst()::message);
    }

    @Test
    void of_rejectsALaterSegmentBelowThatReachesIntoAnEarliersFileBytes() {
        // 3 starts lower than 2 but is copied after it: its zero fill covers 2's first bytes
        List<Violation> v = overlaps(withBytes(2, 0x8000_1000L, 0x800, 0x1000), load(3, 0x8000_0000L, 0x2000, 0));
        assertEquals(List.of(Rule.SEGMENTS_OVERLAP), v.stream().map(Violation::rule).toList());
        assertEquals(3, v.getFirst().segment());
    }

    @Test
    void of_warnsWhenTwoZeroFillOnlySegmentsShareAnAddress() {
        // wcnss.mbn (apq8016): segments 7 and 8, p_filesz 0, both at 0x8bae3400
        List<Violation> v = overlaps(load(7, 0x8bae_3400L, 0x37cf8, 0), load(8, 0x8bae_3400L, 0x21c44, 0));
        assertEquals(List.of(Rule.ZERO_FILL_OVERLAP), v.stream().map(Violation::rule).toList());
        assertEquals(8, v.getFirst().segment());
        assertEquals(Severity.WARNING, v.getFirst().rule().severity());
    }

    @Test
    void of_warnsWhenALaterSegmentsBytesLandOnlyInAnEarliersZeroFill() {
        // 2 has 0x800 file bytes then zero fill to 0x2000; 3 writes at 0x1000, past 2's file bytes
        List<Violation> v = overlaps(withBytes(2, 0x8000_0000L, 0x800, 0x2000), withBytes(3, 0x8000_1000L, 0x400, 0x1000));
        assertEquals(List.of(Rule.ZERO_FILL_OVERLAP), v.stream().map(Violation::rule).toList());
    }

    @Test
    void of_rejectsAnEarlierSegmentsZeroFillUnderALaterOnesBytesOnlyInTableOrder() {
        // 3 is copied first, then 2's zero fill (0x800..0x2000) erases 3's file bytes at 0x1000
        List<Violation> v = overlaps(withBytes(3, 0x8000_1000L, 0x400, 0x1000), withBytes(2, 0x8000_0000L, 0x800, 0x2000));
        assertEquals(List.of(Rule.SEGMENTS_OVERLAP), v.stream().map(Violation::rule).toList());
        assertTrue(v.getFirst().message().contains("file bytes of segment 3"), v.getFirst()::message);
    }

    @Test
    void of_findsTheOneClobberAmong65535SegmentsWithoutComparingAllPairs() {
        // 65534 disjoint pages, then one segment at the end of the table whose zero fill covers page 40000
        ProgramHeader[] phdrs = new ProgramHeader[65535];
        for (int i = 0; i < 65534; i++) {
            phdrs[i] = new ProgramHeader(i, ProgramHeader.PT_LOAD, 0, 0, 0x1000L * i, 0x1000L * i, 0x10, 0x1000, 0x1000);
        }
        phdrs[65534] = load(65534, 0x1000L * 40000, 0x1000, 0);
        List<Violation> v = overlaps(phdrs);
        assertEquals(List.of(Rule.SEGMENTS_OVERLAP), v.stream().map(Violation::rule).toList());
        assertTrue(v.getFirst().message().contains("segment 40000 "), v.getFirst()::message);
    }

    @Test
    void of_acceptsAnElf32SegmentEndingExactlyAt4GiB() {
        // [0xfffff000, 2^32) is the last page of the 32-bit space: nothing overflows
        List<Violation> v = new ArrayList<>();
        LoadLayout l = of(ElfClass.ELF32, v, load(0, 0xFFFF_F000L, 0x1000, 0));
        assertEquals(List.of(), v);
        assertEquals(0x1000, l.loadSize());
    }

    @Test
    void of_rejectsAnElf32SegmentEndingPast4GiB() {
        List<Violation> v = new ArrayList<>();
        of(ElfClass.ELF32, v, load(4, 0xFFFF_F000L, 0x1001, 0));
        assertEquals(List.of(Rule.ADDRESS_OVERFLOW), v.stream().map(Violation::rule).toList());
        assertEquals(4, v.getFirst().segment());
        assertTrue(v.getFirst().message().contains("0xfffff000") && v.getFirst().message().contains("32-bit"),
                v.getFirst()::message);
    }

    @Test
    void of_rejectsAnElf64SegmentWhoseRoundedEndWouldWrap() {
        List<Violation> v = new ArrayList<>();
        of(ElfClass.ELF64, v, load(1, 0x7FFF_FFFF_FFFF_F000L, 0x800, 0));
        assertEquals(List.of(Rule.ADDRESS_OVERFLOW), v.stream().map(Violation::rule).toList());
        List<Violation> unsigned = new ArrayList<>();
        of(ElfClass.ELF64, unsigned, load(1, 0xFFFF_FFFF_FFFF_F000L, 0x800, 0));
        assertEquals(List.of(Rule.ADDRESS_OVERFLOW), unsigned.stream().map(Violation::rule).toList());
    }

    @Test
    void of_marksTheImageRelocatableWhenAnyLoadableSegmentHasBit27() {
        List<Violation> v = new ArrayList<>();
        assertTrue(of(ElfClass.ELF32, v, load(0, 0x5000, 0x10, 0), load(1, 0x6000, 0x10, 1L << 27)).relocatable());
    }
}
