package dev.mdtload.scm;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The simulated secure world: every call goes through FFM into libpassim (built from
 * native-stubs/), which decodes it as the real monitor would, keeps each peripheral's PAS state,
 * and authenticates an image by reading the carveout's backing file itself.
 *
 * <p>Shared buffers (metadata, SMCCC argument buffers) are temp files mapped here and attached
 * there, at addresses counted up from {@code metadataBase}. The simulation is one per process, as
 * the secure world is one per machine: a second open monitor is refused.
 */
public final class SimSecureMonitor implements SecureMonitor {
    /** System property naming the directory that holds {@value #LIBRARY_NAME} (set by bin/mdtload and the build). */
    public static final String NATIVE_DIR_PROPERTY = "mdtload.native.dir";
    public static final String LIBRARY_NAME = "libpassim.so";

    private static final AtomicBoolean IN_USE = new AtomicBoolean();

    /** A peripheral's state in the secure world (the C enum pas_state, in order). */
    public enum PeripheralState { IDLE, INITIALIZED, MEMORY_SET_UP, RUNNING }

    private final Arena arena = Arena.ofShared();
    private final SharedRegion shared;
    private final Path tempDir;
    private final List<Path> tempFiles = new ArrayList<>();
    private boolean closed;

    private SimSecureMonitor(PhysAddr metadataBase, Path tempDir) {
        this.shared = new SharedRegion(metadataBase);
        this.tempDir = tempDir;
    }

    /**
     * Opens the simulated secure world with no peripheral started and no memory attached.
     *
     * @param metadataBase where shared buffers start; must overlap no carveout attached later
     * @throws IOException the library is not built, or another monitor is open
     */
    public static SimSecureMonitor open(PhysAddr metadataBase) throws IOException {
        Objects.requireNonNull(metadataBase, "metadataBase");
        library();
        if (!IN_USE.compareAndSet(false, true)) {
            throw new IOException("the simulated secure world is already open in this process");
        }
        try {
            SimSecureMonitor monitor = new SimSecureMonitor(metadataBase, Files.createTempDirectory("mdtload-sim-"));
            PassimLibrary.reset();
            return monitor;
        } catch (IOException | RuntimeException | Error e) {
            IN_USE.set(false);
            throw e;
        }
    }

    /** The library's path, or the reason it cannot be used. */
    static Path library() throws IOException {
        String dir = System.getProperty(NATIVE_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            throw new IOException("simulated secure world not built: run make (system property "
                    + NATIVE_DIR_PROPERTY + " is not set)");
        }
        Path library = Path.of(dir, LIBRARY_NAME).toAbsolutePath();
        if (!Files.isRegularFile(library)) {
            throw new IOException("simulated secure world not built: run make (" + library + " is missing)");
        }
        return library;
    }

    @Override
    public ScmResult invoke(ScmCall call) throws UsageFailure, IOException {
        requireOpen();
        try (Arena local = Arena.ofConfined()) {
            return switch (WireCall.encode(call, this::allocateMetadata, local)) {
                case WireCall.Smc smc -> PassimLibrary.smc(smc.registers());
                case WireCall.Legacy legacy -> LegacyCommand.decode(PassimLibrary.legacy(legacy.command()), legacy.command());
            };
        }
    }

    @Override
    public void attach(PhysAddr base, long size, Path backingFile, long backingOffset) throws IOException {
        requireOpen();
        PassimLibrary.attach(base.value(), size, backingFile.toAbsolutePath().toString(), backingOffset);
    }

    /** It recomputes every digest from the carveout before it answers auth_and_reset. */
    @Override
    public boolean authenticates() {
        return true;
    }

    @Override
    public MetadataBuffer allocateMetadata(long size) throws IOException {
        requireOpen();
        long length = SharedRegion.pages(size);
        Path file = Files.createTempFile(tempDir, "shared-", ".bin");
        tempFiles.add(file);
        MemorySegment memory;
        // through posix, so that a failure names the call and the file: java.io.tmpdir on a file
        // system without shared writable mappings (9p) otherwise reads as a bare "Invalid argument"
        try (Fd fd = Libc.open(file, Libc.O_RDWR | Libc.O_CLOEXEC, 0)) {
            // size the file first: the secure world's mapping must not reach past its end
            Libc.ftruncate(fd, length);
            memory = Libc.mmap(fd, length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, 0, arena);
        }
        PhysAddr addr = shared.take(length);
        PassimLibrary.attach(addr.value(), length, file.toString(), 0);
        return new MetadataBuffer(addr, memory.asSlice(0, size));
    }

    /** What the secure world thinks of peripheral {@code pasId}. */
    public PeripheralState state(long pasId) {
        requireOpen();
        return PeripheralState.values()[PassimLibrary.state((int) PasClient.requirePasId(pasId))];
    }

    /** Calls that reached the secure world since this monitor was opened (refused ones included). */
    public long callCount() {
        requireOpen();
        return PassimLibrary.calls();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("simulated secure world already closed");
        }
    }

    /** Stops every peripheral, detaches all memory, unmaps and deletes the shared buffers. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            PassimLibrary.reset();
            arena.close();
            for (Path file : tempFiles) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(tempDir);
        } finally {
            IN_USE.set(false);
        }
    }
}
