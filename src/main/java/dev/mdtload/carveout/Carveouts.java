package dev.mdtload.carveout;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Opens carveouts: checks the request, then maps the memory its spec names. */
public final class Carveouts {
    /** Carveouts are whole pages: the kernel's loader and the secure world both work in 4 KiB. */
    public static final long PAGE_SIZE = 4096;

    private Carveouts() {}

    /**
     * What the caller wants mapped: {@code size} bytes at {@code phys} (where the kind takes one).
     * Every device and sysfs path is looked up under {@code root}, so tests build a fake tree.
     */
    public record Request(Optional<PhysAddr> phys, long size, Path root, ReservedMemory reserved) {
        public Request {
            Objects.requireNonNull(phys, "phys");
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(reserved, "reserved");
        }

        /** A request on the real machine ({@code root} = /) with no reserved-memory table. */
        public Request(Optional<PhysAddr> phys, long size) {
            this(phys, size, Path.of("/"), ReservedMemory.NONE);
        }

        Path underRoot(String path) {
            return root.resolve(path);
        }

        private void check(CarveoutSpec spec) throws UsageFailure {
            if (size <= 0) {
                throw new UsageFailure(String.format("carveout %s: size %d is not positive", spec, size));
            }
            if (size % PAGE_SIZE != 0) {
                throw new UsageFailure(String.format(
                        "carveout %s: size 0x%x is not a multiple of the %d-byte page", spec, size, PAGE_SIZE));
            }
            if (phys.isPresent()) {
                requireAligned(spec, phys.get());
                if (phys.get().value() > Long.MAX_VALUE - size) {
                    throw new UsageFailure(String.format(
                            "carveout %s: 0x%x bytes at %s run past the largest address a mapping can reach",
                            spec, size, phys.get()));
                }
            }
        }

        /**
         * The base of this request inside a region the kind names (a UIO map, a reserved-memory
         * region): the requested address, or the region's start when none was given.
         */
        PhysAddr placeIn(CarveoutSpec spec, String region, PhysAddr regionBase, long regionSize) throws UsageFailure {
            PhysAddr base = phys.orElse(regionBase);
            requireAligned(spec, base);
            long offset = base.value() - regionBase.value();
            if (base.compareTo(regionBase) < 0 || offset > regionSize || size > regionSize - offset) {
                throw new UsageFailure(String.format(
                        "carveout %s: 0x%x bytes at %s do not fit in %s, which is 0x%x bytes at %s",
                        spec, size, base, region, regionSize, regionBase));
            }
            return base;
        }

        private static void requireAligned(CarveoutSpec spec, PhysAddr base) throws UsageFailure {
            if (!base.isAligned(PAGE_SIZE)) {
                throw new UsageFailure(String.format(
                        "carveout %s: %s is not aligned to the %d-byte page", spec, base, PAGE_SIZE));
            }
        }
    }

    /**
     * Checks {@code request} against {@code spec} and maps the carveout. A wrong request is a
     * {@link UsageFailure}, raised before any file is created or mapped; a carveout that
     * cannot be opened or is in use by another run is an {@link IOException}.
     */
    public static Carveout open(CarveoutSpec spec, Request request) throws Failure, IOException {
        request.check(spec);
        return switch (spec) {
            case CarveoutSpec.File file -> FileCarveout.open(file, request);
            case CarveoutSpec.DevMem devMem -> DevMemCarveout.open(devMem, request);
            case CarveoutSpec.Reserved reserved -> DevMemCarveout.open(reserved, request);
            case CarveoutSpec.Uio uio -> UioCarveout.open(uio, request);
            case CarveoutSpec.DmaHeap heap -> DmaHeapCarveout.open(heap, request);
            case CarveoutSpec.Memfd ignored -> MemfdCarveout.open(request);
        };
    }

    /**
     * The checks {@link #open} makes before it creates, maps or locks anything, made without
     * opening: the request's size and alignment, a {@code reserved:} region's existence and room,
     * and the device behind {@code devmem} and {@code reserved:} (present; a stand-in file long
     * enough). For planning several loads before the first one writes.
     */
    public static void check(CarveoutSpec spec, Request request) throws Failure, IOException {
        request.check(spec);
        switch (spec) {
            case CarveoutSpec.DevMem devMem -> DevMemCarveout.check(devMem, request);
            case CarveoutSpec.Reserved reserved -> DevMemCarveout.check(reserved, request);
            // these find their memory only by opening it (a file created, a map read, a buffer allocated)
            case CarveoutSpec.File ignored -> { }
            case CarveoutSpec.Uio ignored -> { }
            case CarveoutSpec.DmaHeap ignored -> { }
            case CarveoutSpec.Memfd ignored -> { }
        }
    }
}
