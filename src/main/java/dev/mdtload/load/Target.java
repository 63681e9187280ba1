package dev.mdtload.load;

import dev.mdtload.address.DmaAddr;
import dev.mdtload.address.PhysAddr;

/**
 * Where the user says the carveout is: a physical address, a DMA address that must be
 * translated through a declared IOMMU map before the secure world may hear of it, or nothing,
 * for a carveout that knows its own base.
 */
public sealed interface Target {
    record Phys(PhysAddr addr) implements Target {}

    record Dma(DmaAddr addr) implements Target {}

    /** No address given: a uio map's base is read from sysfs, a reserved: region's from the device tree. */
    record CarveoutsOwn() implements Target {}
}
