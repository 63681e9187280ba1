package dev.mdtload.carveout;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The request checks that come before anything is created, opened or mapped. */
class CarveoutsTest {
    @TempDir
    Path root;

    private String refusal(CarveoutSpec spec, Carveouts.Base base, long size) {
        return assertThrows(UsageFailure.class,
                () -> Carveouts.open(spec, new Carveouts.Request(base, size, root, ReservedMemory.NONE))).getMessage();
    }

    @Test
    void aSizeOfZero_isRefused() {
        assertEquals("carveout memfd: size 0 is not positive", refusal(new CarveoutSpec.Memfd(), new Carveouts.Base.Own(), 0));
    }

    @Test
    void aNegativeSize_isRefused() {
        assertEquals("carveout memfd: size -4096 is not positive", refusal(new CarveoutSpec.Memfd(), new Carveouts.Base.Own(), -4096));
    }

    @Test
    void aSizeThatIsNotWholePages_isRefused() {
        assertEquals("carveout memfd: size 0x1001 is not a multiple of the 4096-byte page",
                refusal(new CarveoutSpec.Memfd(), new Carveouts.Base.Own(), 0x1001));
    }

    @Test
    void anUnalignedPhysicalBase_isRefused_andNoFileIsCreated() {
        Path file = root.resolve("c.bin");
        assertEquals("carveout file:" + file + ": phys 0x9ae00800 is not aligned to the 4096-byte page",
                refusal(new CarveoutSpec.File(file), new Carveouts.Base.Given(PhysAddr.of(0x9ae00800L)), 0x4000));
        assertFalse(Files.exists(file));
    }

    @Test
    void aRangePastTheLargestAddress_isRefused_beforeAnyLockIsTaken() {
        assertEquals("carveout devmem: 0x2000 bytes at phys 0x7ffffffffffff000 run past the largest address a mapping can reach",
                refusal(new CarveoutSpec.DevMem.Default(), new Carveouts.Base.Given(PhysAddr.of(0x7ffffffffffff000L)), 0x2000));
        assertFalse(Files.exists(root.resolve("run")));
    }

    @Test
    void aRequestWithoutRoot_isForTheRealMachine() {
        Carveouts.Request request = new Carveouts.Request(new Carveouts.Base.Own(), 4096);
        assertEquals(Path.of("/"), request.root());
        assertSame(ReservedMemory.NONE, request.reserved());
        assertEquals(Path.of("/dev/mem"), request.underRoot("dev/mem"));
    }
}
