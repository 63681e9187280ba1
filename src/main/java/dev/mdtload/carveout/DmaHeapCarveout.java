package dev.mdtload.carveout;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code dma-heap:HEAP}: a dma-buf allocated from {@code /dev/dma_heap/HEAP}. It has no physical
 * address userspace can learn, only a DMA address once a device attaches it, so it can hold an
 * image but cannot be handed to the secure world as a physical carveout.
 */
final class DmaHeapCarveout extends MappedCarveout implements Carveout {
    /*
     * struct dma_heap_allocation_data {   (include/uapi/linux/dma-heap.h)
     *     __u64 len;
     *     __u32 fd;
     *     __u32 fd_flags;
     *     __u64 heap_flags;
     * };
     */
    static final StructLayout ALLOCATION_DATA = MemoryLayout.structLayout(
            JAVA_LONG.withName("len"),
            JAVA_INT.withName("fd"),
            JAVA_INT.withName("fd_flags"),
            JAVA_LONG.withName("heap_flags")).withName("dma_heap_allocation_data");
    private static final VarHandle LEN = ALLOCATION_DATA.varHandle(groupElement("len"));
    private static final VarHandle FD = ALLOCATION_DATA.varHandle(groupElement("fd"));
    private static final VarHandle FD_FLAGS = ALLOCATION_DATA.varHandle(groupElement("fd_flags"));
    private static final VarHandle HEAP_FLAGS = ALLOCATION_DATA.varHandle(groupElement("heap_flags"));

    /* struct dma_buf_sync { __u64 flags; };   (include/uapi/linux/dma-buf.h) */
    static final StructLayout SYNC = MemoryLayout.structLayout(JAVA_LONG.withName("flags")).withName("dma_buf_sync");
    private static final VarHandle SYNC_FLAGS = SYNC.varHandle(groupElement("flags"));
    private static final long DMA_BUF_SYNC_RW = 3;
    private static final long DMA_BUF_SYNC_START = 0;
    private static final long DMA_BUF_SYNC_END = 4;

    // <asm-generic/ioctl.h>, which x86_64 and arm64 both use: dir 2 bits, size 14, type 8, nr 8.
    private static final int IOC_WRITE = 1;
    private static final int IOC_READ = 2;
    /** {@code _IOWR('H', 0, struct dma_heap_allocation_data)} */
    static final long DMA_HEAP_IOCTL_ALLOC = ioc(IOC_READ | IOC_WRITE, 'H', 0, ALLOCATION_DATA);
    /** {@code _IOW('b', 0, struct dma_buf_sync)} */
    static final long DMA_BUF_IOCTL_SYNC = ioc(IOC_WRITE, 'b', 0, SYNC);

    private final CarveoutSpec.DmaHeap spec;
    private final Path heap;

    private DmaHeapCarveout(CarveoutSpec.DmaHeap spec, Path heap, Mapping mapping) {
        super(mapping, new Carveouts.Base.Own());
        this.spec = spec;
        this.heap = heap;
    }

    /**
     * Every allocation is a fresh buffer no other process can name, so unlike the other kinds
     * there is nothing shared to lock.
     */
    static DmaHeapCarveout open(CarveoutSpec.DmaHeap spec, Carveouts.Request request) throws IOException, Failure {
        if (request.base() instanceof Carveouts.Base.Given given) {
            throw new UsageFailure("carveout " + spec + ": cannot be placed at " + given.addr()
                    + ": a dma-buf has no physical address userspace can choose or learn, only a DMA address"
                    + " once a device attaches it");
        }
        Path heap = request.underRoot("dev/dma_heap").resolve(spec.heap());
        try (OpenFds fds = new OpenFds()) {
            Fd buffer;
            try (Fd heapFd = Libc.open(heap, Libc.O_RDONLY | Libc.O_CLOEXEC, 0)) {
                buffer = fds.add(allocate(spec, heapFd, request.size()));
            }
            sync(buffer, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
            return new DmaHeapCarveout(spec, heap, Mapping.map(fds, buffer, 0, 0, request.size()));
        }
    }

    private static Fd allocate(CarveoutSpec.DmaHeap spec, Fd heap, long size) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = allocationData(arena, size);
            try {
                Libc.ioctl(heap, DMA_HEAP_IOCTL_ALLOC, data);
            } catch (PosixException e) {
                throw new IOException(String.format("carveout %s: %s did not allocate 0x%x bytes (is it a dma-heap?): %s",
                        spec, heap.path(), size, e.getMessage()), e);
            }
            return Fd.adopt((int) FD.get(data, 0L), Path.of("dmabuf:" + spec.heap()));
        }
    }

    /** The ALLOC argument: a read-write buffer fd that is not inherited by child processes. */
    static MemorySegment allocationData(Arena arena, long size) {
        MemorySegment data = arena.allocate(ALLOCATION_DATA);
        LEN.set(data, 0L, size);
        FD_FLAGS.set(data, 0L, Libc.O_RDWR | Libc.O_CLOEXEC);
        HEAP_FLAGS.set(data, 0L, 0L);
        return data;
    }

    private static void sync(Fd buffer, long flags) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sync = arena.allocate(SYNC);
            SYNC_FLAGS.set(sync, 0L, flags);
            Libc.ioctl(buffer, DMA_BUF_IOCTL_SYNC, sync);
        }
    }

    private static long ioc(int dir, char type, int nr, MemoryLayout argument) {
        return (long) dir << 30 | argument.byteSize() << 16 | (long) type << 8 | nr;
    }

    /**
     * A dma-buf has no fsync, so msync would fail with EINVAL. The buffer may be cached: ending
     * the CPU access hands the written lines to the device, and a new access begins for later writes.
     */
    @Override
    public void flush() throws PosixException {
        sync(mapping().fd(), DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
        sync(mapping().fd(), DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
    }

    public Path heap() {
        return heap;
    }

    @Override
    String source() {
        return spec + " (" + heap + ")";
    }
}
