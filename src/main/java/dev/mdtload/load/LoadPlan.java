package dev.mdtload.load;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.check.Violation;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.LoadLayout.Placement;

import java.util.List;

/**
 * A load that has passed every check that needs no carveout and no secure world: the image is
 * valid (digests included), the address is physical and translated, every segment has its place.
 * Nothing has been written yet. Closing it releases the image's mappings.
 */
public final class LoadPlan implements AutoCloseable {
    private final LoadRequest request;
    private final FirmwareImage image;
    private final PhysAddr base;
    private final List<Placement> placements;
    private final long validateMicros;
    private final List<Violation> warnings;

    LoadPlan(LoadRequest request, FirmwareImage image, PhysAddr base, List<Placement> placements, long validateMicros,
             List<Violation> warnings) {
        this.request = request;
        this.image = image;
        this.base = base;
        this.placements = List.copyOf(placements);
        this.validateMicros = validateMicros;
        this.warnings = List.copyOf(warnings);
    }

    /** The warnings the image carries: unusual, but the device loads it (docs/rules.md). */
    public List<Violation> warnings() {
        return warnings;
    }

    public LoadRequest request() {
        return request;
    }

    public FirmwareImage image() {
        return image;
    }

    /** The carveout's physical base, as the secure world will be told it. */
    public PhysAddr base() {
        return base;
    }

    public List<Placement> placements() {
        return placements;
    }

    long validateMicros() {
        return validateMicros;
    }

    @Override
    public void close() {
        image.close();
    }
}
