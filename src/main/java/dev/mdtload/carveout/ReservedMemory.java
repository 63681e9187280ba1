package dev.mdtload.carveout;

import dev.mdtload.failure.Failure;
import dev.mdtload.address.PhysAddr;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The board's reserved-memory regions (the device tree's {@code /reserved-memory} nodes), by
 * name. The board package provides the real lookup; {@link #NONE} stands for "no lookup here".
 */
@FunctionalInterface
public interface ReservedMemory {
    /** No reserved-memory table: a {@code reserved:} spec is refused with a usage message. */
    ReservedMemory NONE = name -> Optional.empty();

    Optional<Region> find(String name) throws IOException, Failure;

    /** One region; {@code noMap} regions are outside the kernel's linear map (DT {@code no-map}). */
    record Region(String name, PhysAddr base, long size, boolean noMap) {
        public Region {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(base, "base");
            if (size <= 0) {
                throw new IllegalArgumentException("reserved-memory region " + name + " has size " + size);
            }
        }
    }
}
