package dev.mdtload.address;

import java.util.Objects;
import java.util.Optional;

/**
 * Physical bytes {@code [base, base + size)}: a carveout, a metadata buffer, a reserved-memory
 * region. Never empty: a region of no bytes reserves nothing (the kernel's reserved-memory code
 * skips a zero-sized {@code reg}), so no two such regions can be said to collide. Its end is a
 * {@link PhysAddr} too, so the range stops at 2^63 - 1 and never wraps.
 */
public record PhysRange(PhysAddr base, long size) {
    public PhysRange {
        Objects.requireNonNull(base, "base");
        if (size <= 0 || base.value() > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException(String.format("range of 0x%x bytes at %s is empty or wraps", size, base));
        }
    }

    /** The first address after the range. */
    public PhysAddr end() {
        return base.plus(size);
    }

    /** The bytes both ranges cover, if any: ranges that only touch share none. */
    public Optional<PhysRange> intersection(PhysRange other) {
        PhysAddr start = PhysAddr.max(base, other.base);
        PhysAddr end = PhysAddr.min(end(), other.end());
        return start.compareTo(end) < 0 ? Optional.of(new PhysRange(start, end.value() - start.value())) : Optional.empty();
    }

    /** Whether a byte of one is a byte of the other: loading into one would overwrite the other. */
    public boolean overlaps(PhysRange other) {
        return intersection(other).isPresent();
    }

    @Override
    public String toString() {
        return String.format("[0x%x, 0x%x)", base.value(), end().value());
    }
}
