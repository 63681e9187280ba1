package dev.mdtload.carveout;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemfdCarveoutTest extends CarveoutContract {
    private static final PhysAddr BASE = PhysAddr.of(0x8b000000L);

    @Override
    Carveout open() throws Exception {
        return Carveouts.open(new CarveoutSpec.Memfd(), new Carveouts.Request(new Carveouts.Base.Given(BASE), SIZE));
    }

    @Override
    Optional<PhysAddr> expectedPhysBase() {
        return Optional.of(BASE);
    }

    @Override
    String expectedDescription() {
        return "memfd (anonymous memory): 0x4000 bytes at phys 0x8b000000";
    }

    /** Only through this process's descriptor: no other reader is told of it. */
    @Override
    InFile inFile(Carveout opened) {
        return new InFile(((MemfdCarveout) opened).mapping().fd().procPath(), 0);
    }

    /** a new memfd, sized with ftruncate. */
    @Override
    boolean openMakesTheMemory() {
        return true;
    }

    @Test
    void locate_refusesAMemfd_whichNoOtherReaderCanMap() {
        UsageFailure e = assertThrows(UsageFailure.class,
                () -> Carveouts.locate(new CarveoutSpec.Memfd(), new Carveouts.Request(new Carveouts.Base.Given(BASE), SIZE)));
        assertEquals("carveout memfd is anonymous memory of this process alone: no other reader can map it", e.getMessage());
    }

    @Test
    void memory_isThisProcessesFdOfAMemfd_closedWithTheCarveout() throws Exception {
        Path backing;
        try (Carveout carveout = open()) {
            backing = inFile(carveout).path();
            assertTrue(backing.toString().matches("/proc/" + ProcessHandle.current().pid() + "/fd/[0-9]+"), backing::toString);
            assertEquals("/memfd:mdtload-carveout (deleted)", Files.readSymbolicLink(backing).toString());
        }
        // The number may already serve another file, but no longer this memfd.
        assertFalse(Files.exists(backing, LinkOption.NOFOLLOW_LINKS)
                && Files.readSymbolicLink(backing).toString().startsWith("/memfd:mdtload-carveout"),
                "closing the carveout closes its memfd");
    }

    @Test
    void twoMemfdCarveouts_areSeparateMemory() throws Exception {
        try (Carveout first = open(); Carveout second = open()) {
            Bytes.write(first.memory(), Bytes.pattern(SIZE, 13));
            assertArrayEquals(new byte[(int) SIZE], second.memory().toArray(JAVA_BYTE));
        }
    }

    @Test
    void open_withoutAPhysicalBase_hasNone() throws Exception {
        try (Carveout carveout = Carveouts.open(new CarveoutSpec.Memfd(), new Carveouts.Request(new Carveouts.Base.Own(), SIZE))) {
            assertEquals(Optional.empty(), carveout.physBase());
            assertEquals("memfd (anonymous memory): 0x4000 bytes with no physical address", carveout.describe());
        }
    }
}
