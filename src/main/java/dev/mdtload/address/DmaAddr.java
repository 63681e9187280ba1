package dev.mdtload.address;

import java.util.Objects;

/**
 * An address as one device sees it ({@code dma_addr_t}): an IOVA behind that device's IOMMU, or
 * an identity-mapped physical address when it has none. Meaningless without its device, so it
 * carries it; it becomes a {@link PhysAddr} only through an {@link IommuMap}.
 */
public record DmaAddr(Device device, long iova) {
    public DmaAddr {
        Objects.requireNonNull(device, "device");
        if (iova < 0) {
            throw new IllegalArgumentException("DMA address 0x" + Long.toHexString(iova) + " is above 2^63");
        }
    }

    @Override
    public String toString() {
        return "DMA 0x" + Long.toHexString(iova) + " (device " + device + ")";
    }
}
