package dev.mdtload.load;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.Carveouts;
import dev.mdtload.check.Violation;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.LoadLayout.Placement;
import dev.mdtload.scm.SecureWorldSetup;

import java.util.List;
import java.util.Objects;

/**
 * A load that has passed every check that needs no carveout and no secure world: the image is
 * valid (digests included), the address is physical and translated, every segment has its place.
 * Nothing has been written yet. Closing it releases the image's mappings.
 */
public final class LoadPlan implements AutoCloseable {
    private final LoadRequest request;
    private final FirmwareImage image;
    private final Where where;
    private final long validateMicros;
    private final List<Violation> warnings;

    /** Where the image goes: known now, or only once the carveout is opened. */
    public sealed interface Where {
        /** Byte 0 of the carveout is at physical {@code base}; every segment has its place in it. */
        record Known(PhysAddr base, List<Placement> placements) implements Where {
            public Known {
                Objects.requireNonNull(base, "base");
                placements = List.copyOf(placements);
            }

            @Override
            public String toString() {
                return base.toString();
            }
        }

        /** The carveout tells its own base when it is opened (a uio map, from sysfs); the image is placed then. */
        record ReadAtOpen() implements Where {
            @Override
            public String toString() {
                return "the base it has when opened";
            }
        }
    }

    LoadPlan(LoadRequest request, FirmwareImage image, Where where, long validateMicros, List<Violation> warnings) {
        this.request = request;
        this.image = image;
        this.where = Objects.requireNonNull(where, "where");
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

    /** The carveout's physical base, as the secure world will be told it, if it is known before opening. */
    public Where where() {
        return where;
    }

    /** What {@link Carveouts#open} is asked for: the known base, or none for the carveout to tell. */
    Carveouts.Request carveoutRequest() {
        Carveouts.Base base = switch (where) {
            case Where.Known known -> new Carveouts.Base.Given(known.base());
            case Where.ReadAtOpen ignored -> new Carveouts.Base.Own();
        };
        return new Carveouts.Request(base, request.size(), request.root(), request.reserved());
    }

    /** Peripheral {@code pasId} and its carveout, as a secure world is opened with it. */
    public SecureWorldSetup.Peripheral peripheral() {
        return new SecureWorldSetup.Peripheral(request.pasId(), request.carveout(), carveoutRequest());
    }

    long validateMicros() {
        return validateMicros;
    }

    @Override
    public void close() {
        image.close();
    }
}
