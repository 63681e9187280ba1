package dev.mdtload.load;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.check.Violation;
import dev.mdtload.image.LoadLayout.Placement;
import dev.mdtload.scm.ScmConvention;

import java.util.List;

/**
 * What a successful load did, for people and for provisioning reports.
 *
 * @param base      physical address of the carveout's first byte
 * @param metadata  physical address the metadata blob was handed over at
 * @param steps     every step in order, with its duration
 * @param warnings  what is unusual about the image, though the device loads it
 */
public record LoadResult(String image, String carveout, int pasId, ScmConvention convention, PhysAddr base,
                         long size, boolean relocatable, long loadSize, PhysAddr metadata,
                         List<Placement> placements, List<Step> steps, List<Violation> warnings) {
    public LoadResult {
        placements = List.copyOf(placements);
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    /** One step of a load: validate, init_image, mem_setup, copy, auth_and_reset. */
    public record Step(String name, long micros, String detail) {}
}
