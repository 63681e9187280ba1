package dev.mdtload.carveout;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code uio:NAME[:MAP]}: a memory map of a UIO device. The kernel publishes each map's physical
 * address and size in {@code /sys/class/uio/NAME/maps/mapN/}, so the base is known, not assumed.
 */
final class UioCarveout extends MappedCarveout implements Carveout {
    private final CarveoutSpec.Uio spec;
    private final Path device;

    private UioCarveout(CarveoutSpec.Uio spec, Path device, PhysAddr physBase, Mapping mapping) {
        super(mapping, new Carveouts.Base.Given(physBase));
        this.spec = spec;
        this.device = device;
    }

    /**
     * The map's physical base from sysfs, and the device offset of the carveout's first byte. The
     * UIO driver selects map N by an mmap offset of N pages (the kernel's page size: 4 KiB here,
     * as on every x86_64 and most arm64 kernels).
     */
    static Carveouts.Location locate(CarveoutSpec.Uio spec, Carveouts.Request request)
            throws UsageFailure, IOException {
        Path map = request.underRoot("sys/class/uio").resolve(spec.name()).resolve("maps").resolve("map" + spec.map());
        if (!Files.isDirectory(map)) {
            throw new IOException("carveout " + spec + ": " + map + " does not exist (no such UIO device or map)");
        }
        PhysAddr mapBase = PhysAddr.of(readHex(map.resolve("addr")));
        long mapSize = readHex(map.resolve("size"));
        PhysAddr phys = request.placeIn(spec, "uio map " + spec.map(), mapBase, mapSize);
        return new Carveouts.Location(phys, request.size(), request.underRoot("dev").resolve(spec.name()),
                mapOffset(spec) + (phys.value() - mapBase.value()));
    }

    private static long mapOffset(CarveoutSpec.Uio spec) {
        return spec.map() * Page.SIZE;
    }

    static UioCarveout open(CarveoutSpec.Uio spec, Carveouts.Request request) throws IOException, Failure {
        Carveouts.Location at = locate(spec, request);
        // the driver always maps from the start of a map, so a carveout inside one is mapped from there and sliced
        long mapOffset = mapOffset(spec);
        try (OpenFds fds = new OpenFds()) {
            Fd fd = fds.add(Libc.open(at.file(), Libc.O_RDWR | Libc.O_CLOEXEC, 0));
            lockExclusively(fd, spec.toString());
            Mapping mapping = Mapping.map(fds, fd, mapOffset, at.offset() - mapOffset, request.size());
            return new UioCarveout(spec, at.file(), at.base(), mapping);
        }
    }

    /** A sysfs number as the kernel prints a {@code phys_addr_t} ({@code %pa}): 0x and 16 hex digits. */
    private static long readHex(Path file) throws IOException {
        String text = Files.readString(file).strip();
        long value = text.matches("0x[0-9a-fA-F]{1,16}") ? Long.parseUnsignedLong(text.substring(2), 16) : -1;
        if (value < 0) {
            throw new IOException(file + ": expected a hex number below 2^63 such as 0x9ae00000, found '" + text + "'");
        }
        return value;
    }

    public Path device() {
        return device;
    }

    @Override
    String source() {
        return spec + " (" + device + " map " + spec.map() + ")";
    }
}
