package dev.mdtload.address;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An address as the CPU's physical address space sees it ({@code phys_addr_t}). The only kind
 * the secure world accepts. There is deliberately no way to build one from a {@link DmaAddr}
 * except {@link IommuMap#translate}.
 */
public record PhysAddr(@JsonValue long value) implements Comparable<PhysAddr> {
    public static final PhysAddr ZERO = new PhysAddr(0);

    public PhysAddr {
        if (value < 0) {
            throw new IllegalArgumentException("physical address 0x" + Long.toHexString(value) + " is above 2^63");
        }
    }

    /**
     * A raw number as a physical address: for input boundaries only (command-line converters, the
     * manifest reader, the device-tree and sysfs readers), which an architecture test pins. Code
     * past them derives addresses from addresses ({@link #plus}, {@link #minus}, {@link #alignUp}).
     */
    public static PhysAddr of(long value) {
        return new PhysAddr(value);
    }

    public PhysAddr plus(long offset) {
        return new PhysAddr(Math.addExact(value, offset));
    }

    public PhysAddr minus(long offset) {
        return new PhysAddr(Math.subtractExact(value, offset));
    }

    /** The first address at or above this one that is a multiple of {@code alignment} (a power of two). */
    public PhysAddr alignUp(long alignment) {
        return new PhysAddr(Math.addExact(value, alignment - 1) & -alignment);
    }

    public static PhysAddr max(PhysAddr a, PhysAddr b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public static PhysAddr min(PhysAddr a, PhysAddr b) {
        return a.compareTo(b) <= 0 ? a : b;
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
