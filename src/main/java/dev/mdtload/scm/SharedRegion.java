package dev.mdtload.scm;

import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;

/**
 * Physical addresses for buffers shared with the secure world, handed out upwards from a base the
 * caller chose (one that overlaps no carveout), each 4 KiB aligned. Never reused while its
 * monitor is open, like the kernel's metadata buffer that lives until authentication.
 */
final class SharedRegion {
    private final PhysAddr base;
    private long used;

    SharedRegion(PhysAddr base) {
        if (!base.isAligned(Page.SIZE)) {
            throw new IllegalArgumentException("shared buffer base " + base + " is not 4 KiB aligned");
        }
        this.base = base;
    }

    /** Page-rounded size of a buffer of {@code size} bytes. */
    static long pages(long size) {
        if (size <= 0 || size > Long.MAX_VALUE - Page.SIZE) {
            throw new IllegalArgumentException("shared buffer size " + size + " must be positive");
        }
        return Page.alignUp(size);
    }

    /** The address of the next {@code pages(size)} bytes. */
    PhysAddr take(long size) {
        PhysAddr at = base.plus(used);
        used = Math.addExact(used, pages(size));
        return at;
    }
}
