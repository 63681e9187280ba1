package dev.mdtload.board;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.address.PhysRange;
import dev.mdtload.carveout.ReservedMemory;

import java.util.Objects;

/**
 * A fixed {@code /reserved-memory} region: a child node with a {@code reg}, enabled.
 *
 * @param name    the node name with its unit address ({@code wpss@9ae00000})
 * @param path    the node's full path
 * @param size    bytes, at least one; the region is {@code [base, base + size)}
 * @param noMap   the kernel keeps the region out of its linear map ({@code no-map})
 * @param phandle the node's phandle, 0 when nothing can refer to it
 */
public record Carveout(String name, String path, PhysAddr base, long size, boolean noMap, long phandle) {
    public Carveout {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(base, "base");
        if (size <= 0 || base.value() > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException(String.format("carveout %s at 0x%x size 0x%x is empty or wraps past 2^63",
                    name, base.value(), size));
        }
    }

    /** The region's bytes, as every overlap test sees them. */
    public PhysRange range() {
        return new PhysRange(base, size);
    }

    /** The first address after the region. */
    public PhysAddr end() {
        return base.plus(size);
    }

    /** The name without its unit address ({@code wpss}). */
    public String baseName() {
        return Node.baseNameOf(name);
    }

    public ReservedMemory.Region region() {
        return new ReservedMemory.Region(name, base, size, noMap);
    }
}
