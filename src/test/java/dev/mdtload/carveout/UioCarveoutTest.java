package dev.mdtload.carveout;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A fake UIO device: sysfs files written the way the kernel prints them ({@code %pa}), and a
 * plain file for /dev/uio0 in which map N starts at byte N * 4096, as the driver's mmap offsets do.
 */
class UioCarveoutTest extends SharedCarveoutContract {
    private static final PhysAddr MAP0 = PhysAddr.of(0x9ae00000L);
    private static final long MAP0_SIZE = 0x100000;
    private static final PhysAddr MAP1 = PhysAddr.of(0x80000000L);
    private static final long MAP1_SIZE = 0x10000;

    private Path device() {
        return root.resolve("dev/uio0");
    }

    private Path map(int n) {
        return root.resolve("sys/class/uio/uio0/maps/map" + n);
    }

    @BeforeEach
    void fakeUio() throws IOException {
        writeMap(0, "0x000000009ae00000\n", "0x0000000000100000\n");
        writeMap(1, "0x0000000080000000\n", "0x0000000000010000\n");
        Bytes.sparseFile(device(), 0x200000);
    }

    private void writeMap(int n, String addr, String size) throws IOException {
        Files.createDirectories(map(n));
        Files.writeString(map(n).resolve("addr"), addr);
        Files.writeString(map(n).resolve("size"), size);
    }

    private Carveout open(int map, Carveouts.Base base) throws Exception {
        return Carveouts.open(new CarveoutSpec.Uio("uio0", map), new Carveouts.Request(base, SIZE, root, ReservedMemory.NONE));
    }

    private Carveouts.Location locate(int map, Carveouts.Base base) throws Exception {
        return Carveouts.locate(new CarveoutSpec.Uio("uio0", map), new Carveouts.Request(base, SIZE, root, ReservedMemory.NONE));
    }

    @Override
    Carveout open() throws Exception {
        return open(0, new Carveouts.Base.Own());
    }

    @Override
    InFile inFile(Carveout opened) {
        return new InFile(device(), 0);
    }

    /** a UIO map is device memory that was there before the open. */
    @Override
    boolean openMakesTheMemory() {
        return false;
    }

    @Override
    Optional<PhysAddr> expectedPhysBase() {
        return Optional.of(MAP0);
    }

    @Override
    String expectedDescription() {
        return "uio:uio0 (" + device() + " map 0): 0x4000 bytes at phys 0x9ae00000";
    }

    @Override
    String lockedName() {
        return "uio:uio0";
    }

    @Test
    void aCarveoutInsideAMap_sitsAtItsOffsetFromTheMapStart() throws Exception {
        byte[] written = Bytes.pattern(SIZE, 11);
        try (Carveout carveout = open(0, new Carveouts.Base.Given(MAP0.plus(0x8000)))) {
            assertEquals(Optional.of(PhysAddr.of(0x9ae08000L)), carveout.physBase());
            assertEquals(new Carveouts.Location(MAP0.plus(0x8000), SIZE, device(), 0x8000), locate(0, new Carveouts.Base.Given(MAP0.plus(0x8000))));
            Bytes.write(carveout.memory(), written);
        }
        assertArrayEquals(written, Bytes.read(device(), 0x8000, SIZE));
        assertArrayEquals(new byte[0x8000], Bytes.read(device(), 0, 0x8000));
    }

    @Test
    void mapOne_isSelectedByAnOffsetOfOnePage() throws Exception {
        byte[] written = Bytes.pattern(SIZE, 12);
        try (Carveout carveout = open(1, new Carveouts.Base.Own())) {
            assertEquals(Optional.of(MAP1), carveout.physBase());
            assertEquals(new Carveouts.Location(MAP1, SIZE, device(), 4096), locate(1, new Carveouts.Base.Own()));
            assertEquals("uio:uio0:1 (" + device() + " map 1): 0x4000 bytes at phys 0x80000000", carveout.describe());
            Bytes.write(carveout.memory(), written);
        }
        assertArrayEquals(written, Bytes.read(device(), 4096, SIZE));
    }

    @Test
    void aRequestReachingPastTheMap_isRefused() {
        PhysAddr nearEnd = MAP1.plus(MAP1_SIZE - Page.SIZE);
        UsageFailure e = assertThrows(UsageFailure.class, () -> open(1, new Carveouts.Base.Given(nearEnd)));
        assertEquals("carveout uio:uio0:1: 0x4000 bytes at phys 0x8000f000 do not fit in uio map 1,"
                + " which is 0x10000 bytes at phys 0x80000000", e.getMessage());
    }

    @Test
    void aRequestBelowTheMap_isRefused() {
        UsageFailure e = assertThrows(UsageFailure.class, () -> open(0, new Carveouts.Base.Given(PhysAddr.of(0x9ad00000L))));
        assertEquals("carveout uio:uio0: 0x4000 bytes at phys 0x9ad00000 do not fit in uio map 0,"
                + " which is 0x100000 bytes at phys 0x9ae00000", e.getMessage());
    }

    @Test
    void aMissingMap_isAnEnvironmentError() {
        IOException e = assertThrows(IOException.class, () -> open(2, new Carveouts.Base.Own()));
        assertEquals("carveout uio:uio0:2: " + map(2) + " does not exist (no such UIO device or map)", e.getMessage());
    }

    @Test
    void aMalformedSysfsNumber_isAnEnvironmentError() throws IOException {
        Files.writeString(map(0).resolve("size"), "lots\n");
        IOException e = assertThrows(IOException.class, this::open);
        assertEquals(map(0).resolve("size") + ": expected a hex number below 2^63 such as 0x9ae00000, found 'lots'",
                e.getMessage());
    }

    @Test
    void theWholeMap_canBeTheCarveout() throws Exception {
        try (Carveout carveout = Carveouts.open(new CarveoutSpec.Uio("uio0", 0),
                new Carveouts.Request(new Carveouts.Base.Own(), MAP0_SIZE, root, ReservedMemory.NONE))) {
            assertEquals(MAP0_SIZE, carveout.size());
        }
    }
}
