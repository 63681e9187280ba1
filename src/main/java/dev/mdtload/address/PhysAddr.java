package dev.mdtload.address;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An address as the CPU's physical address space sees it ({@code phys_addr_t}). The only kind
 * the secure world accepts. There is deliberately no way to build one from a {@link DmaAddr}
 * except {@link IommuMap#translate}.
 */
public record PhysAddr(@JsonValue long value) implements Comparable<PhysAddr> {
    public PhysAddr {
        if (value < 0) {
            throw new IllegalArgumentException("physical address 0x" + Long.toHexString(value) + " is above 2^63");
        }
    }

    public static PhysAddr of(long value) {
        return new PhysAddr(value);
    }

    public PhysAddr plus(long offset) {
        return new PhysAddr(Math.addExact(value, offset));
    }

    public boolean isAligned(long alignment) {
        return (value & (alignment - 1)) == 0;
    }

    @Override
    public int compareTo(PhysAddr o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return "phys 0x" + Long.toHexString(value);
    }
}
