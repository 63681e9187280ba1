package dev.mdtload.mbn;

import java.util.Objects;

/**
 * One segment for {@link ImageAssembler} to place: its addresses, its whole p_flags (permission
 * bits, and bit 27 when the image is relocatable) and its file bytes, whose length becomes
 * p_filesz. A bss segment has no bytes and a p_memsz above zero. The values are written as
 * given, not judged: validating the result is the {@code Validator}'s job.
 *
 * @param data  the segment's file bytes (copied)
 * @param memsz p_memsz: the bytes the segment takes in memory, the tail beyond {@code data} zeroed
 */
public record LoadSegment(long paddr, long vaddr, long flags, byte[] data, long memsz) {
    public LoadSegment {
        data = Objects.requireNonNull(data, "data").clone();
    }

    /** A segment with no file bytes, zero-filled in memory. */
    public static LoadSegment bss(long paddr, long vaddr, long flags, long memsz) {
        return new LoadSegment(paddr, vaddr, flags, new byte[0], memsz);
    }
}
