package dev.mdtload.carveout;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.posix.PosixException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** devmem and reserved:NAME against a sparse file standing in for /dev/mem under a fake root. */
class DevMemCarveoutTest extends SharedCarveoutContract {
    private static final PhysAddr BASE = PhysAddr.of(0x200000);
    private static final long MEMORY = 0x400000;
    private static final ReservedMemory.Region WPSS = new ReservedMemory.Region("wpss", PhysAddr.of(0x100000), 0x10000, true);

    private Path devMem() {
        return root.resolve("dev/mem");
    }

    @BeforeEach
    void fakeDevMem() throws IOException {
        Bytes.sparseFile(devMem(), MEMORY);
    }

    private Carveout open(CarveoutSpec spec, Carveouts.Base base, ReservedMemory reserved) throws Exception {
        return Carveouts.open(spec, new Carveouts.Request(base, SIZE, root, reserved));
    }

    private Carveout openAt(PhysAddr phys) throws Exception {
        return open(new CarveoutSpec.DevMem.Default(), new Carveouts.Base.Given(phys), ReservedMemory.NONE);
    }

    @Override
    Carveout open() throws Exception {
        return openAt(BASE);
    }

    @Override
    InFile inFile(Carveout opened) {
        return new InFile(devMem(), BASE.value());
    }

    /** /dev/mem is memory that was there: its bytes are what the last user left. */
    @Override
    boolean openMakesTheMemory() {
        return false;
    }

    @Override
    Optional<PhysAddr> expectedPhysBase() {
        return Optional.of(BASE);
    }

    @Override
    String expectedDescription() {
        return "devmem via " + devMem() + ": 0x4000 bytes at phys 0x200000";
    }

    @Override
    String lockedName() {
        return "devmem at phys 0x200000";
    }

    @Test
    void writes_landAtThePhysicalOffset_andNowhereElse() throws Exception {
        byte[] written = Bytes.pattern(SIZE, 6);
        try (Carveout carveout = open()) {
            Bytes.write(carveout.memory(), written);
            carveout.flush();
            assertEquals(new Carveouts.Location(BASE, SIZE, devMem(), 0x200000), Carveouts.locate(
                    new CarveoutSpec.DevMem.Default(), new Carveouts.Request(new Carveouts.Base.Given(BASE), SIZE, root,
                            ReservedMemory.NONE)));
        }
        byte[] memory = Files.readAllBytes(devMem());
        assertEquals(MEMORY, memory.length);
        assertArrayEquals(written, Arrays.copyOfRange(memory, 0x200000, 0x204000));
        assertTrue(Bytes.allZero(Arrays.copyOfRange(memory, 0, 0x200000)));
        assertTrue(Bytes.allZero(Arrays.copyOfRange(memory, 0x204000, memory.length)));
    }

    @Test
    void open_locksAFilePerPhysicalBase_creatingItsDirectory() throws Exception {
        try (Carveout _ = open()) {
            assertTrue(Files.isRegularFile(root.resolve("run/lock/mdtload-devmem-200000.lock")));
        }
    }

    @Test
    void twoDifferentRanges_mayBeOpenAtOnce() throws Exception {
        try (Carveout low = openAt(BASE); Carveout high = openAt(PhysAddr.of(0x300000))) {
            Bytes.write(low.memory(), Bytes.pattern(SIZE, 7));
            Bytes.write(high.memory(), Bytes.pattern(SIZE, 8));
        }
        assertArrayEquals(Bytes.pattern(SIZE, 7), Bytes.read(devMem(), 0x200000, SIZE));
        assertArrayEquals(Bytes.pattern(SIZE, 8), Bytes.read(devMem(), 0x300000, SIZE));
    }

    @Test
    void open_withoutAPhysicalAddress_isARequestError() {
        UsageFailure e = assertThrows(UsageFailure.class,
                () -> open(new CarveoutSpec.DevMem.Default(), new Carveouts.Base.Own(), ReservedMemory.NONE));
        assertEquals("carveout devmem: needs the physical address to map; /dev/mem has no default", e.getMessage());
    }

    @Test
    void open_withoutDevMem_failsWithEnoentNamingIt() throws Exception {
        Files.delete(devMem());
        PosixException e = assertThrows(PosixException.class, this::open);
        assertEquals("open(" + devMem() + ") failed: ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void devMemPath_replacesDevMemUnderTheRoot() throws Exception {
        Path standIn = Bytes.sparseFile(root.resolve("elsewhere/mem.img"), MEMORY);
        byte[] written = Bytes.pattern(SIZE, 9);
        try (Carveout carveout = open(new CarveoutSpec.DevMem.Named(standIn), new Carveouts.Base.Given(BASE), ReservedMemory.NONE)) {
            Bytes.write(carveout.memory(), written);
            assertEquals(new Carveouts.Location(BASE, SIZE, standIn, 0x200000), Carveouts.locate(
                    new CarveoutSpec.DevMem.Named(standIn), new Carveouts.Request(new Carveouts.Base.Given(BASE), SIZE, root,
                            ReservedMemory.NONE)));
        }
        assertArrayEquals(written, Bytes.read(standIn, 0x200000, SIZE));
        assertTrue(Bytes.allZero(Files.readAllBytes(devMem())));
    }

    /** A PCI device directory as sysfs has it: BAR 2 of 1 MiB at 0xfe000000, BARs 0 and 1 unassigned. */
    private Path pciDevice() throws IOException {
        Path device = root.resolve("sys/bus/pci/devices/0000:00:04.0");
        Files.createDirectories(device);
        Files.writeString(device.resolve("resource"), """
                0x0000000000000000 0x0000000000000000 0x0000000000000000
                0x00000000febff000 0x00000000febff0ff 0x0000000000040200
                0x00000000fe000000 0x00000000fe0fffff 0x000000000014220c
                0x0000000000000000 0x0000000000000000 0x0000000000000000
                """);
        Bytes.sparseFile(device.resolve("resource2"), 0x100000);
        return device;
    }

    @Test
    void pciResourceFile_isAtItsBarsPhysicalAddressNotAtZero() throws Exception {
        Path bar = pciDevice().resolve("resource2");
        CarveoutSpec spec = new CarveoutSpec.DevMem.Named(bar);
        byte[] written = Bytes.pattern(SIZE, 11);
        try (Carveout carveout = open(spec, new Carveouts.Base.Given(PhysAddr.of(0xfe010000L)), ReservedMemory.NONE)) {
            assertEquals(Optional.of(PhysAddr.of(0xfe010000L)), carveout.physBase());
            assertEquals(new Carveouts.Location(PhysAddr.of(0xfe010000L), SIZE, bar, 0x10000), Carveouts.locate(spec,
                    new Carveouts.Request(new Carveouts.Base.Given(PhysAddr.of(0xfe010000L)), SIZE, root, ReservedMemory.NONE)),
                    "the simulated secure world maps the same bytes");
            Bytes.write(carveout.memory(), written);
        }
        assertArrayEquals(written, Bytes.read(bar, 0x10000, SIZE));
        try (Carveout carveout = open(spec, new Carveouts.Base.Own(), ReservedMemory.NONE)) {
            assertEquals(Optional.of(PhysAddr.of(0xfe000000L)), carveout.physBase(), "no --phys: the BAR's start");
            assertTrue(Files.isRegularFile(root.resolve("run/lock/mdtload-devmem-fe000000.lock")),
                    "locked as /dev/mem at that address would be");
        }
    }

    @Test
    void pciResourceFile_refusesARangeOutsideTheBarAndAnUnassignedBar() throws Exception {
        Path device = pciDevice();
        CarveoutSpec bar2 = new CarveoutSpec.DevMem.Named(device.resolve("resource2"));
        UsageFailure outside = assertThrows(UsageFailure.class,
                () -> open(bar2, new Carveouts.Base.Given(PhysAddr.of(0)), ReservedMemory.NONE));
        assertEquals("carveout devmem:" + device.resolve("resource2") + ": 0x4000 bytes at phys 0x0 do not fit in PCI BAR 2 ("
                + device.resolve("resource2") + "), which is 0x100000 bytes at phys 0xfe000000", outside.getMessage());

        Path bar0 = Bytes.sparseFile(device.resolve("resource0"), 0x100000);
        IOException unassigned = assertThrows(IOException.class,
                () -> open(new CarveoutSpec.DevMem.Named(bar0), new Carveouts.Base.Own(), ReservedMemory.NONE));
        assertEquals(bar0 + ": BAR 0 of " + device + " has no memory assigned (resource line 1: "
                + "0x0000000000000000 0x0000000000000000 0x0000000000000000)", unassigned.getMessage());
        assertTrue(Files.notExists(root.resolve("run")), "refused before the lock file");
    }

    @Test
    void open_refusesARangePastTheEndOfAStandInFile() {
        IOException e = assertThrows(IOException.class, () -> openAt(PhysAddr.of(0x3ff000)));
        assertEquals(devMem() + " is 4194304 bytes, too short for the carveout's bytes 0x3ff000..0x403000", e.getMessage());
    }

    @Test
    void reserved_withoutALookup_isRefusedWithAUsageMessage() {
        UsageFailure e = assertThrows(UsageFailure.class,
                () -> open(new CarveoutSpec.Reserved("wpss"), new Carveouts.Base.Own(), ReservedMemory.NONE));
        assertEquals("carveout reserved:wpss: no reserved-memory table is available here to find 'wpss' in;"
                + " give devmem and the region's physical address instead", e.getMessage());
    }

    @Test
    void reserved_ofAnUnknownRegion_isRefused() {
        UsageFailure e = assertThrows(UsageFailure.class,
                () -> open(new CarveoutSpec.Reserved("adsp"), new Carveouts.Base.Own(), this::lookUp));
        assertEquals("carveout reserved:adsp: the board has no reserved-memory region named 'adsp'", e.getMessage());
    }

    @Test
    void reserved_mapsTheRegionThroughDevMemAtItsBase() throws Exception {
        byte[] written = Bytes.pattern(SIZE, 10);
        try (Carveout carveout = open(new CarveoutSpec.Reserved("wpss"), new Carveouts.Base.Own(), this::lookUp)) {
            assertEquals(Optional.of(WPSS.base()), carveout.physBase());
            assertEquals("reserved:wpss (no-map) via " + devMem() + ": 0x4000 bytes at phys 0x100000", carveout.describe());
            Bytes.write(carveout.memory(), written);
        }
        assertArrayEquals(written, Bytes.read(devMem(), 0x100000, SIZE));
    }

    @Test
    void reserved_requestReachingPastTheRegion_isRefused() {
        UsageFailure e = assertThrows(UsageFailure.class,
                () -> open(new CarveoutSpec.Reserved("wpss"), new Carveouts.Base.Given(PhysAddr.of(0x10e000)), this::lookUp));
        assertEquals("carveout reserved:wpss: 0x4000 bytes at phys 0x10e000 do not fit in reserved-memory region wpss,"
                + " which is 0x10000 bytes at phys 0x100000", e.getMessage());
    }

    private Optional<ReservedMemory.Region> lookUp(String name) {
        return name.equals(WPSS.name()) ? Optional.of(WPSS) : Optional.empty();
    }

    /** What Carveouts.check may leave behind: nothing at all (no lock file, no mapping, no byte). */
    private void assertChecksOnly(CarveoutSpec spec, PhysAddr phys, ReservedMemory reserved) throws Exception {
        byte[] before = Files.readAllBytes(devMem());
        Carveouts.check(spec, new Carveouts.Request(new Carveouts.Base.Given(phys), SIZE, root, reserved));
        assertArrayEquals(before, Files.readAllBytes(devMem()));
        assertTrue(Files.notExists(root.resolve("run")), "no lock file");
    }

    @Test
    void check_acceptsWhatOpenWouldMapWithoutCreatingTheLockFile() throws Exception {
        assertChecksOnly(new CarveoutSpec.DevMem.Default(), BASE, ReservedMemory.NONE);
        assertChecksOnly(new CarveoutSpec.Reserved("wpss"), WPSS.base(), name -> Optional.of(WPSS).filter(r -> r.name().equals(name)));
    }

    @Test
    void check_refusesAMissingDeviceAndAStandInTooShortAsOpenWould() throws Exception {
        CarveoutSpec devmem = new CarveoutSpec.DevMem.Default();
        IOException shortFile = assertThrows(IOException.class, () -> Carveouts.check(devmem,
                new Carveouts.Request(new Carveouts.Base.Given(PhysAddr.of(MEMORY - 0x1000)), SIZE, root, ReservedMemory.NONE)));
        assertEquals(devMem() + " is 4194304 bytes, too short for the carveout's bytes 0x3ff000..0x403000", shortFile.getMessage());

        Files.delete(devMem());
        IOException missing = assertThrows(IOException.class, () -> Carveouts.check(devmem,
                new Carveouts.Request(new Carveouts.Base.Given(BASE), SIZE, root, ReservedMemory.NONE)));
        assertEquals(devMem() + ": no such device for carveout devmem", missing.getMessage());
        assertTrue(Files.notExists(root.resolve("run")));
    }

    @Test
    void check_refusesAReservedRegionTheBoardLacks() {
        UsageFailure e = assertThrows(UsageFailure.class, () -> Carveouts.check(new CarveoutSpec.Reserved("modem"),
                new Carveouts.Request(new Carveouts.Base.Own(), SIZE, root, name -> Optional.empty())));
        assertEquals("carveout reserved:modem: the board has no reserved-memory region named 'modem'", e.getMessage());
    }
}
