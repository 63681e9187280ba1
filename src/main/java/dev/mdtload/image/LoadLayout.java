package dev.mdtload.image;

import dev.mdtload.address.Page;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.Elf;
import dev.mdtload.elf.ProgramHeader;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an image's loadable segments go, computed once (the kernel walks the headers three
 * times for this): lowest address, end, the kernel's 4 KiB-rounded load size, relocatable.
 */
public record LoadLayout(List<ProgramHeader> loadable, long minAddress, long maxEnd, boolean relocatable) {
    public LoadLayout {
        loadable = List.copyOf(loadable);
    }

    /** max(p_paddr + p_memsz) - min(p_paddr): the bytes the segments span. */
    public long span() {
        return maxEnd - minAddress;
    }

    /** The kernel's qcom_mdt_get_size(): the end rounded up to 4 KiB, minus the lowest address. */
    public long loadSize() {
        return loadable.isEmpty() ? 0 : Page.alignUp(maxEnd) - minAddress;
    }

    static LoadLayout of(String name, Elf elf, List<Violation> violations) {
        List<ProgramHeader> loadable = new ArrayList<>();
        long min = Long.MAX_VALUE;
        long end = 0;
        boolean relocatable = false;
        long max = elf.elfClass().maxAddress();
        // The end is exclusive: an ELF32 segment may end at 2^32. A 64-bit end must leave alignUp
        // room not to wrap the long, hence the largest page-aligned long there.
        long endLimit = max == Long.MAX_VALUE ? Long.MAX_VALUE & -Page.SIZE : max + 1;
        for (ProgramHeader p : elf.phdrs()) {
            if (!p.isLoadable()) {
                continue;
            }
            if (p.p_paddr() < 0 || p.p_memsz() < 0 || p.p_memsz() > endLimit - p.p_paddr()) {
                violations.add(Violation.of(Rule.ADDRESS_OVERFLOW, name, p.index(), String.format(
                        "p_paddr 0x%x + p_memsz 0x%x overflows the %d-bit address space",
                        p.p_paddr(), p.p_memsz(), elf.elfClass().bits())));
                continue;
            }
            loadable.add(p);
            min = Math.min(min, p.p_paddr());
            end = Math.max(end, p.p_paddr() + p.p_memsz());
            relocatable |= p.isRelocatable();
        }
        if (loadable.isEmpty()) {
            if (violations.stream().noneMatch(v -> v.rule() == Rule.ADDRESS_OVERFLOW)) {
                violations.add(Violation.of(Rule.NO_LOADABLE_SEGMENT, name,
                        "no loadable segment (PT_LOAD, not the hash segment, p_memsz > 0)"));
            }
            return new LoadLayout(List.of(), 0, 0, false);
        }
        MemoryOverlaps.check(name, loadable, violations);
        return new LoadLayout(loadable, min, end, relocatable);
    }

    /** Where one loadable segment goes: its offset in the carveout and its physical address. */
    public record Placement(ProgramHeader phdr, long offset, long address) {}

    /**
     * Places every loadable segment in a carveout at {@code base} of {@code size} bytes, as the
     * kernel's __qcom_mdt_load() does: a relocatable image at the carveout's base, a fixed one at
     * its own addresses, which must then fall inside the carveout. An image that does not fit is
     * one violation, on the first segment that falls out, saying what would fit: every segment's
     * own line would only repeat that the base or the size is wrong.
     *
     * @throws IllegalArgumentException the carveout itself does not fit below 2^63 (callers check
     *                                  user input first; past this, offsets and addresses could wrap)
     */
    public List<Placement> place(String name, long base, long size) throws InvalidImageException {
        if (base < 0 || size < 0 || size > Long.MAX_VALUE - base) {
            throw new IllegalArgumentException(String.format("carveout 0x%x + 0x%x does not fit below 2^63", base, size));
        }
        List<Placement> placements = new ArrayList<>(loadable.size());
        List<ProgramHeader> outside = new ArrayList<>();
        long relocBase = relocatable ? minAddress : base;
        for (ProgramHeader p : loadable) {
            long offset = p.p_paddr() - relocBase;
            if (offset < 0 || offset > size || p.p_memsz() > size - offset) {
                outside.add(p);
            } else {
                placements.add(new Placement(p, offset, base + offset));
            }
        }
        if (!outside.isEmpty()) {
            throw new InvalidImageException(List.of(Violation.of(Rule.SEGMENT_OUTSIDE_CARVEOUT, name,
                    outside.getFirst().index(), String.format("outside the carveout 0x%x..0x%x%s: %s", base, base + size,
                            outside.size() == 1 ? "" : " (this and " + (outside.size() - 1) + " more)",
                            fit(base, size)))));
        }
        return placements;
    }

    /** What carveout would hold the image: a fixed one names its own address, a relocatable one its size. */
    private String fit(long base, long size) {
        if (relocatable) {
            return String.format("the image spans 0x%x bytes from its base; use --size 0x%x (its load size)",
                    span(), loadSize());
        }
        long pageBase = minAddress & -Page.SIZE;
        long needed = Page.alignUp(maxEnd) - pageBase;
        String phys = base == pageBase ? "" : String.format("use --phys 0x%x", pageBase);
        String bigger = needed <= size ? "" : String.format("--size 0x%x", needed);
        return String.format("image is fixed at 0x%x; %s", minAddress,
                phys.isEmpty() ? "use " + bigger : bigger.isEmpty() ? phys : phys + " " + bigger);
    }
}
