package dev.mdtload.address;

import java.util.Objects;

/**
 * An address as one device sees it ({@code dma_addr_t}): an IOVA behind that device's IOMMU, or
 * an identity-mapped physical address when it has none. Meaningless without its device, so it
 * carries it; it becomes a {@link PhysAddr} only through an {@link IommuMap}.
 *
 * <p>Not a record on purpose: a record's components are public, and a public {@code iova()} is
 * exactly what let {@code PhysAddr.of(dma.iova())} compile. The raw number stays inside this
 * package, where only {@link IommuMap} reads it.
 */
public final class DmaAddr {
    private final Device device;
    private final long iova;

    public DmaAddr(Device device, long iova) {
        this.device = Objects.requireNonNull(device, "device");
        if (iova < 0) {
            throw new IllegalArgumentException("DMA address 0x" + Long.toHexString(iova) + " is above 2^63");
        }
        this.iova = iova;
    }

    public Device device() {
        return device;
    }

    long iova() {
        return iova;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DmaAddr other && other.device.equals(device) && other.iova == iova;
    }

    @Override
    public int hashCode() {
        return 31 * device.hashCode() + Long.hashCode(iova);
    }

    @Override
    public String toString() {
        return "DMA 0x" + Long.toHexString(iova) + " (device " + device + ")";
    }
}
