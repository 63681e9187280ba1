package dev.mdtload.load;

import dev.mdtload.address.IommuMap;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.ReservedMemory;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One image to load into one carveout for one peripheral.
 *
 * @param target   the carveout's address as the user gave it, or {@link Target.CarveoutsOwn}
 * @param size     the carveout's size in bytes
 * @param root     prefix for device and sysfs paths ("/" on a board, a fake tree in tests)
 * @param reserved resolves {@code reserved:NAME} carveouts (the board's device tree)
 */
public record LoadRequest(Path image, CarveoutSpec carveout, Target target, long size, int pasId,
                          IommuMap iommu, Path root, ReservedMemory reserved) {
    public LoadRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(carveout, "carveout");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(iommu, "iommu");
        Objects.requireNonNull(root, "root");
        if (pasId < 0) {
            throw new IllegalArgumentException("pas id " + pasId + " is negative");
        }
    }
}
