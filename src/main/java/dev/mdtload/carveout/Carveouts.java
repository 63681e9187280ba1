package dev.mdtload.carveout;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Opens carveouts: checks the request, then maps the memory its spec names. */
public final class Carveouts {
    private Carveouts() {}

    /**
     * Where the caller puts byte 0 of the carveout in physical memory: at an address it gives, or
     * wherever the carveout itself is.
     */
    public sealed interface Base {
        /** At {@code addr}, as {@code --phys}, a manifest or a load plan gives it. */
        record Given(PhysAddr addr) implements Base {
            public Given {
                Objects.requireNonNull(addr, "addr");
            }
        }

        /**
         * No address given: a uio map, PCI BAR or reserved-memory region starts where the kernel
         * says; a file, memfd or dma-buf then stands for memory at no physical address.
         */
        record Own() implements Base {}
    }

    /**
     * What the caller wants mapped: {@code size} bytes at {@code base}.
     * Every device and sysfs path is looked up under {@code root}, so tests build a fake tree.
     */
    public record Request(Base base, long size, Path root, ReservedMemory reserved) {
        public Request {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(reserved, "reserved");
        }

        /** A request on the real machine ({@code root} = /) with no reserved-memory table. */
        public Request(Base base, long size) {
            this(base, size, Path.of("/"), ReservedMemory.NONE);
        }

        Path underRoot(String path) {
            return root.resolve(path);
        }

        private void check(CarveoutSpec spec) throws UsageFailure {
            List<String> problems = switch (base) {
                case Base.Given given -> problems(given.addr(), size, Names.FIELDS);
                case Base.Own ignored -> problems(size, Names.FIELDS);
            };
            if (!problems.isEmpty()) {
                throw new UsageFailure("carveout " + spec + ": " + problems.getFirst());
            }
        }

        /**
         * The base of this request inside a region the kind names (a UIO map, a reserved-memory
         * region): the requested address, or the region's start when none was given.
         */
        PhysAddr placeIn(CarveoutSpec spec, String region, PhysAddr regionBase, long regionSize) throws UsageFailure {
            PhysAddr start = switch (base) {
                case Base.Given given -> given.addr();
                case Base.Own ignored -> regionBase;
            };
            requireAligned(spec, start);
            long offset = start.value() - regionBase.value();
            if (start.compareTo(regionBase) < 0 || offset > regionSize || size > regionSize - offset) {
                throw new UsageFailure(String.format(
                        "carveout %s: 0x%x bytes at %s do not fit in %s, which is 0x%x bytes at %s",
                        spec, size, start, region, regionSize, regionBase));
            }
            return start;
        }

        private static void requireAligned(CarveoutSpec spec, PhysAddr base) throws UsageFailure {
            if (!base.isAligned(Page.SIZE)) {
                throw new UsageFailure(String.format(
                        "carveout %s: %s is not aligned to the %d-byte page", spec, base, Page.SIZE));
            }
        }
    }

    /** What the base and the size are called where the user gave them: options, or manifest fields. */
    public record Names(String phys, String size) {
        public static final Names OPTIONS = new Names("--phys", "--size");
        public static final Names FIELDS = new Names("phys", "size");
    }

    /**
     * What is wrong with a carveout's base and size on any machine, one line each, naming them as
     * the user wrote them: size positive and whole pages, base page-aligned, the range below 2^63.
     * The one check {@code map}, {@code load} and manifests make before anything is opened, so
     * none of them accepts what another refuses.
     */
    public static List<String> problems(PhysAddr phys, long size, Names names) {
        List<String> problems = problems(size, names);
        if (!phys.isAligned(Page.SIZE)) {
            problems.add(String.format("%s 0x%x is not aligned to the %d-byte page", names.phys(), phys.value(),
                    Page.SIZE));
        } else if (size > 0 && phys.value() > Long.MAX_VALUE - size) {
            problems.add(String.format("0x%x bytes at %s 0x%x run past the largest address a mapping can reach",
                    size, names.phys(), phys.value()));
        }
        return problems;
    }

    /** {@link #problems(PhysAddr, long, Names)} of a carveout given without a base: its size's. */
    public static List<String> problems(long size, Names names) {
        List<String> problems = new ArrayList<>();
        if (size <= 0) {
            problems.add(String.format("%s %d is not positive", names.size(), size));
        } else if (size % Page.SIZE != 0) {
            problems.add(String.format("%s 0x%x is not a multiple of the %d-byte page", names.size(), size, Page.SIZE));
        }
        return problems;
    }

    /**
     * Checks {@code request} against {@code spec} and maps the carveout. A wrong request is a
     * {@link UsageFailure}, raised before any file is created or mapped; a carveout that
     * cannot be opened or is in use by another run is an {@link IOException}, or the
     * {@code PosixException} of the libc call that failed.
     */
    public static Carveout open(CarveoutSpec spec, Request request) throws IOException, Failure {
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
     * Where another reader sees a carveout's bytes: {@code size} bytes of {@code file} from
     * {@code offset}, which stand for physical {@code [base, base + size)}. The path is absolute,
     * since that reader may run in another directory.
     */
    public record Location(PhysAddr base, long size, Path file, long offset) {
        public Location {
            Objects.requireNonNull(base, "base");
            file = Objects.requireNonNull(file, "file").toAbsolutePath();
            if (size <= 0 || offset < 0) {
                throw new IllegalArgumentException(String.format("0x%x bytes at offset 0x%x of %s", size, offset, file));
            }
        }
    }

    /**
     * Where the memory {@code spec} names lives, found without opening or mapping it: what a
     * simulated secure world, given the carveout spec, maps to read the "physical memory" a load
     * wrote. Only memory with a physical address and a file other readers can open has one.
     *
     * @throws Failure usage: the spec names memory no other reader can map (dma-heap, memfd), or the
     *                 request does not fit it; invalid input: the board's reserved-memory table
     */
    public static Location locate(CarveoutSpec spec, Request request) throws IOException, Failure {
        request.check(spec);
        return switch (spec) {
            case CarveoutSpec.File file -> FileCarveout.locate(file, request);
            case CarveoutSpec.DevMem devMem -> DevMemCarveout.location(devMem, request);
            case CarveoutSpec.Reserved reserved -> DevMemCarveout.location(reserved, request);
            case CarveoutSpec.Uio uio -> UioCarveout.locate(uio, request);
            case CarveoutSpec.DmaHeap ignored -> throw new UsageFailure(
                    "carveout " + spec + " has no physical address another reader could map");
            case CarveoutSpec.Memfd ignored -> throw new UsageFailure(
                    "carveout " + spec + " is anonymous memory of this process alone: no other reader can map it");
        };
    }

    /**
     * The checks {@link #open} makes before it creates, maps or locks anything, made without
     * opening: the request's size and alignment, a {@code reserved:} region's existence and room,
     * and the device behind {@code devmem} and {@code reserved:} (present; a stand-in file long
     * enough). For planning several loads before the first one writes.
     */
    public static void check(CarveoutSpec spec, Request request) throws IOException, Failure {
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
