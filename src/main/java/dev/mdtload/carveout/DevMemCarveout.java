package dev.mdtload.carveout;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.posix.Errno;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code devmem} and {@code reserved:NAME}: physical memory through {@code /dev/mem}, opened
 * {@code O_SYNC} so the kernel maps it uncached and the secure world sees every store. Through
 * {@code devmem:PATH}, a PCI device's {@code resourceN} file maps its BAR N from offset 0: the
 * physical base is then the BAR's, read from the device's {@code resource} file.
 */
final class DevMemCarveout extends MappedCarveout implements Carveout {
    private final String name;
    private final Path device;

    private DevMemCarveout(Location at, Mapping mapping) {
        super(mapping, new Carveouts.Base.Given(at.phys()));
        this.name = at.name();
        this.device = at.device();
    }

    /**
     * Where a devmem or reserved: carveout is: the device, the physical base, and the offset in the
     * device that maps it (the physical address itself for /dev/mem). {@code name} is the spec as
     * people read it, with what the device tree adds to it (a region the kernel does not map).
     */
    private record Location(CarveoutSpec spec, String name, Path device, PhysAddr phys, long offset) {
        Carveouts.Location of(Carveouts.Request request) {
            return new Carveouts.Location(phys, request.size(), device, offset);
        }
    }

    private static Location locate(CarveoutSpec.DevMem spec, Carveouts.Request request)
            throws UsageFailure, IOException {
        return switch (spec) {
            case CarveoutSpec.DevMem.Default ignored -> atPhys(spec, request.underRoot("dev/mem"), request);
            case CarveoutSpec.DevMem.Named named -> {
                Optional<PciBar> bar = PciBar.of(named.path());
                yield bar.isPresent() ? inBar(spec, bar.get(), request) : atPhys(spec, named.path(), request);
            }
        };
    }

    /** A device whose offsets are physical addresses: the request must say which. */
    private static Location atPhys(CarveoutSpec.DevMem spec, Path device, Carveouts.Request request)
            throws UsageFailure {
        PhysAddr phys = switch (request.base()) {
            case Carveouts.Base.Given given -> given.addr();
            case Carveouts.Base.Own ignored -> throw new UsageFailure(
                    "carveout " + spec + ": needs the physical address to map; /dev/mem has no default");
        };
        return new Location(spec, spec.toString(), device, phys, phys.value());
    }

    /** A PCI BAR's resource file: offset 0 is the BAR's start, which is the base when none is given. */
    private static Location inBar(CarveoutSpec.DevMem spec, PciBar bar, Carveouts.Request request)
            throws UsageFailure {
        PhysAddr phys = request.placeIn(spec, bar.describe(), bar.start(), bar.size());
        return new Location(spec, spec.toString(), bar.file(), phys, phys.value() - bar.start().value());
    }

    private static Location locate(CarveoutSpec.Reserved spec, Carveouts.Request request)
            throws IOException, Failure {
        if (request.reserved() == ReservedMemory.NONE) {
            throw new UsageFailure("carveout " + spec + ": no reserved-memory table is available here to find '"
                    + spec.name() + "' in; give devmem and the region's physical address instead");
        }
        ReservedMemory.Region region = request.reserved().find(spec.name())
                .orElseThrow(() -> spec.noSuchRegion());
        PhysAddr phys = request.placeIn(spec, "reserved-memory region " + region.name(), region.base(), region.size());
        String name = region.noMap() ? spec + " (no-map)" : spec.toString();
        return new Location(spec, name, request.underRoot("dev/mem"), phys, phys.value());
    }

    static DevMemCarveout open(CarveoutSpec.DevMem spec, Carveouts.Request request) throws IOException, Failure {
        return map(locate(spec, request), request);
    }

    static DevMemCarveout open(CarveoutSpec.Reserved spec, Carveouts.Request request) throws IOException, Failure {
        return map(locate(spec, request), request);
    }

    static Carveouts.Location location(CarveoutSpec.DevMem spec, Carveouts.Request request)
            throws UsageFailure, IOException {
        return locate(spec, request).of(request);
    }

    static Carveouts.Location location(CarveoutSpec.Reserved spec, Carveouts.Request request)
            throws IOException, Failure {
        return locate(spec, request).of(request);
    }

    static void check(CarveoutSpec.DevMem spec, Carveouts.Request request) throws UsageFailure, IOException {
        requireDevice(locate(spec, request), request);
    }

    static void check(CarveoutSpec.Reserved spec, Carveouts.Request request) throws IOException, Failure {
        requireDevice(locate(spec, request), request);
    }

    /** The device exists and, when a file stands in for it, holds the carveout's bytes. */
    private static void requireDevice(Location at, Carveouts.Request request) throws IOException {
        if (!Files.exists(at.device())) {
            throw new NoSuchFileException(at.device().toString(), null, "no such device for carveout " + at.spec());
        }
        Mapping.requireLongEnough(at.device(), at.device(), at.offset(), at.offset() + request.size());
    }

    private static DevMemCarveout map(Location at, Carveouts.Request request) throws IOException, PosixException {
        CarveoutSpec spec = at.spec();
        PhysAddr phys = at.phys();
        // One /dev/mem serves every range, so the lock is a file per physical base, not the device.
        Path lockFile = request.underRoot("run/lock").resolve(String.format("mdtload-devmem-%x.lock", phys.value()));
        Files.createDirectories(lockFile.getParent());
        try (OpenFds fds = new OpenFds()) {
            Fd lock = fds.add(Libc.open(lockFile, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644));
            lockExclusively(lock, spec + " at " + phys);
            Fd memory = fds.add(Libc.open(at.device(), Libc.O_RDWR | Libc.O_SYNC | Libc.O_CLOEXEC, 0));
            try {
                return new DevMemCarveout(at, Mapping.map(fds, memory, at.offset(), 0, request.size()));
            } catch (PosixException e) {
                if (e.is(Errno.EPERM)) {
                    throw refusedByKernel(spec, phys, e);
                }
                throw e;
            }
        }
    }

    /** EPERM from mmap of /dev/mem: the kernel's STRICT_DEVMEM rule, which the bare errno does not tell. */
    private static IOException refusedByKernel(CarveoutSpec spec, PhysAddr phys, PosixException e) {
        return new IOException(String.format("carveout %s at %s: %s: the kernel maps through /dev/mem only memory "
                + "it does not use itself (STRICT_DEVMEM); reserve the range first (memmap=, a reserved-memory node)",
                spec, phys, e.getMessage()), e);
    }

    public Path device() {
        return device;
    }

    @Override
    String source() {
        return name + " via " + device;
    }
}
