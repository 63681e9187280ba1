package dev.mdtload.load;

import dev.mdtload.address.DmaAddr;
import dev.mdtload.address.PhysAddr;

/**
 * Where the user says the carveout is: a physical address, or a DMA address that must be
 * translated through a declared IOMMU map before the secure world may hear of it.
 */
public sealed interface Target {
    record Phys(PhysAddr addr) implements Target {}

    record Dma(DmaAddr addr) implements Target {}
}
