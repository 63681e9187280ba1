package dev.mdtload.provision;

import dev.mdtload.address.PhysAddr;

import java.util.Objects;
import java.util.Optional;

/** A carveout's physical bytes, {@code [base, base + size)}. */
record Range(PhysAddr base, long size) {
    Range {
        Objects.requireNonNull(base, "base");
        if (size <= 0 || base.value() > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException(String.format("range of 0x%x bytes at %s is empty or wraps", size, base));
        }
    }

    PhysAddr end() {
        return base.plus(size);
    }

    /** The bytes both ranges cover, if any. */
    Optional<Range> overlap(Range other) {
        PhysAddr start = PhysAddr.max(base, other.base);
        PhysAddr end = PhysAddr.min(end(), other.end());
        return start.compareTo(end) < 0 ? Optional.of(new Range(start, end.value() - start.value())) : Optional.empty();
    }

    @Override
    public String toString() {
        return String.format("[0x%x, 0x%x)", base.value(), end().value());
    }
}
