package dev.mdtload.scm;

import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Memory the secure world reads by physical address: 4 KiB aligned and physically contiguous, as
 * the kernel's dma_alloc_coherent() buffer for PAS metadata is. {@code memory} is the caller's
 * view of the same bytes; it lives as long as the {@link SecureMonitor} that allocated it.
 */
public record MetadataBuffer(PhysAddr addr, MemorySegment memory) {
    public MetadataBuffer {
        Objects.requireNonNull(addr, "addr");
        Objects.requireNonNull(memory, "memory");
        if (!addr.isAligned(Page.SIZE)) {
            throw new IllegalArgumentException(addr + " is not 4 KiB aligned");
        }
    }
}
