package dev.mdtload.carveout;
import dev.mdtload.address.PhysAddr;
import java.io.IOException;
import java.util.Optional;
public interface ReservedMemory {
    Optional<Region> find(String name) throws IOException;
    record Region(String name, PhysAddr base, long size, boolean noMap) {}
}
