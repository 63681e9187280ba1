package dev.mdtload.carveout;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.posix.PosixException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * There is no dma-heap on this machine, so the kind is checked up to the allocation: the kernel
 * ABI it speaks (expected values from include/uapi/linux/dma-heap.h and dma-buf.h) and the
 * errors a plain file in the heap's place produces.
 */
class DmaHeapCarveoutTest {
    @TempDir
    Path root;

    private Path heap() {
        return root.resolve("dev/dma_heap/system");
    }

    private Carveout open(Carveouts.Base base) throws Exception {
        return Carveouts.open(new CarveoutSpec.DmaHeap("system"), new Carveouts.Request(base, 0x4000, root, ReservedMemory.NONE));
    }

    @Test
    void aPlainFileInPlaceOfTheHeap_failsTheAllocation_withAnErrorNamingTheHeap() throws Exception {
        Files.createDirectories(heap().getParent());
        Files.createFile(heap());
        long fdsBefore = openFds();
        IOException e = assertThrows(IOException.class, () -> open(new Carveouts.Base.Own()));
        assertEquals("carveout dma-heap:system: " + heap() + " did not allocate 0x4000 bytes (is it a dma-heap?): ioctl("
                + heap() + ") failed: ENOTTY (Inappropriate ioctl for device)", e.getMessage());
        assertEquals(fdsBefore, openFds(), "the heap's descriptor is closed again");
    }

    @Test
    void aMissingHeap_failsWithEnoentNamingIt() {
        PosixException e = assertThrows(PosixException.class, () -> open(new Carveouts.Base.Own()));
        assertEquals("open(" + heap() + ") failed: ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void aPhysicalAddress_isRefused_becauseADmaBufHasNone() {
        UsageFailure e = assertThrows(UsageFailure.class, () -> open(new Carveouts.Base.Given(PhysAddr.of(0x9ae00000L))));
        assertEquals("carveout dma-heap:system: cannot be placed at phys 0x9ae00000: a dma-buf has no physical address"
                + " userspace can choose or learn, only a DMA address once a device attaches it", e.getMessage());
    }

    @Test
    void allocationData_hasTheKernelsLayout() {
        // struct dma_heap_allocation_data { __u64 len; __u32 fd; __u32 fd_flags; __u64 heap_flags; }
        assertEquals(24, DmaHeapCarveout.ALLOCATION_DATA.byteSize());
        assertEquals(0, DmaHeapCarveout.ALLOCATION_DATA.byteOffset(groupElement("len")));
        assertEquals(8, DmaHeapCarveout.ALLOCATION_DATA.byteOffset(groupElement("fd")));
        assertEquals(12, DmaHeapCarveout.ALLOCATION_DATA.byteOffset(groupElement("fd_flags")));
        assertEquals(16, DmaHeapCarveout.ALLOCATION_DATA.byteOffset(groupElement("heap_flags")));
        assertEquals(8, DmaHeapCarveout.SYNC.byteSize());
    }

    @Test
    void allocationData_asksForAReadWriteCloseOnExecBuffer() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = DmaHeapCarveout.allocationData(arena, 0x123000);
            assertEquals(0x123000, data.get(JAVA_LONG, 0));
            assertEquals(02000002, data.get(JAVA_INT, 12), "O_RDWR | O_CLOEXEC");
            assertEquals(0, data.get(JAVA_LONG, 16), "no heap flags are defined");
        }
    }

    @Test
    void ioctlNumbers_areTheKernels() {
        assertEquals(0xC0184800L, DmaHeapCarveout.DMA_HEAP_IOCTL_ALLOC);
        assertEquals(0x40086200L, DmaHeapCarveout.DMA_BUF_IOCTL_SYNC);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
