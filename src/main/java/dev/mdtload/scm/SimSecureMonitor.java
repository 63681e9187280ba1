package dev.mdtload.scm;

import dev.mdtload.failure.Failure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.Carveouts;
import dev.mdtload.posix.Fd;
import dev.mdtload.posix.Libc;
import dev.mdtload.posix.PosixException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The simulated secure world: every call goes through FFM into libpassim (built from
 * native-stubs/), which decodes it as the real monitor would, keeps each peripheral's PAS state,
 * and authenticates an image by reading the carveout itself.
 *
 * <p>It finds each peripheral's carveout from the spec it was opened with ({@link SecureWorldSetup}),
 * through the file that spec names, and maps it when init_image first names the peripheral (a
 * {@code file:} carveout exists only once the load has opened it). Shared buffers (metadata, SMCCC
 * argument buffers) are temp files mapped here and there, at addresses counted up from the
 * setup's shared base. The simulation is one per process, as the secure world is one per machine:
 * a second open monitor is refused.
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
    /** Each peripheral's carveout, until init_image maps it. */
    private final Map<Long, Carveouts.Location> unmapped;
    private final ImagePolicy policy;
    /** The lite firmware still running, by PAS id: each holds the PAS id it names until shut down. */
    private final Map<Long, Long> lite = new HashMap<>();
    /** The last call the policy refused, and why, for {@link #explain}. */
    private PasCall refused;
    private String refusal = "";
    private boolean closed;

    private SimSecureMonitor(SecureWorldSetup setup, Map<Long, Carveouts.Location> carveouts, Path tempDir) {
        this.shared = new SharedRegion(setup.sharedBase());
        this.unmapped = new HashMap<>(carveouts);
        this.policy = setup.policy();
        setup.lite().forEach(l -> lite.put(l.pasId(), l.holds()));
        this.tempDir = tempDir;
    }

    /**
     * Opens the simulated secure world with no peripheral started.
     *
     * @throws IOException the library is not built, another monitor is open, or a
     *                                 peripheral's carveout is memory the simulation cannot read
     *                                 (memfd, dma-heap, no physical address)
     */
    public static SimSecureMonitor open(SecureWorldSetup setup) throws IOException {
        return open(setup, Host.HYPERVISOR);
    }

    /**
     * As {@link #open(SecureWorldSetup)}, on a machine whose OS runs as {@code host}: at
     * {@link Host#EL2} auth_and_reset is refused unless an SHM bridge covers the image's memory
     * and no mapping in this process other than the secure world's own still reaches it.
     */
    public static SimSecureMonitor open(SecureWorldSetup setup, Host host) throws IOException {
        Map<Long, Carveouts.Location> carveouts = new HashMap<>();
        for (SecureWorldSetup.Peripheral p : setup.peripherals()) {
            try {
                carveouts.put(p.pasId(), Carveouts.locate(p.carveout(), p.request()));
            } catch (Failure e) {
                // the carveout itself is checked by the loader; here it is only the simulation that cannot read it
                throw new IOException("the simulated secure world cannot read the memory of pas id "
                        + p.pasId() + ": " + e.getMessage(), e);
            }
        }
        library();
        if (!IN_USE.compareAndSet(false, true)) {
            throw new IOException("the simulated secure world is already open in this process");
        }
        try {
            SimSecureMonitor monitor = new SimSecureMonitor(setup, carveouts, Files.createTempDirectory("mdtload-sim-"));
            PassimLibrary.reset();
            PassimLibrary.el2(host == Host.EL2);
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
    public ScmResult call(ScmConvention convention, PasCall call) throws IOException, Failure {
        requireOpen();
        try (Arena local = Arena.ofConfined()) {
            WireCall wire = WireCall.encode(call.on(convention), this::allocateMetadata, local);
            List<String> refusals = call instanceof PasCall.InitImage init ? refusals(init) : List.of();
            if (!refusals.isEmpty()) {
                refused = call;
                refusal = String.join("; ", refusals);
                // the kernel turns it into -EINVAL: "error -22 initializing firmware"
                return new ScmResult(ScmResult.EINVAL_ARG, 0, 0, 0);
            }
            if (call instanceof PasCall.Shutdown) {
                // the native monitor accepts shutdown in every state; the lite firmware is gone after it
                lite.remove(call.pasId());
            }
            // only a call that passed the width checks maps anything
            if (call instanceof PasCall.InitImage && unmapped.containsKey(call.pasId())) {
                Carveouts.Location carveout = unmapped.get(call.pasId());
                PassimLibrary.attach(carveout.base().value(), carveout.size(), carveout.file().toString(),
                        carveout.offset());
                unmapped.remove(call.pasId());
            }
            return make(wire);
        }
    }

    /** The board's checks of the image, after the lite firmware that still holds the peripheral. */
    private List<String> refusals(PasCall.InitImage init) {
        List<String> refusals = new ArrayList<>();
        lite.forEach((litePasId, holds) -> {
            if (holds == init.pasId()) {
                refusals.add(String.format("lite-running: the boot firmware's lite firmware still runs as pas id %d (0x%x) "
                        + "and holds pas id %d: shut it down first", litePasId, litePasId, holds));
            }
        });
        refusals.addAll(policy.refusals(init.pasId(), init.metadata().memory()));
        return refusals;
    }

    /** The policy's reason, or the simulation's own for the last call it refused (an EL2 check). */
    @Override
    public String explain(PasCall call) {
        if (call.equals(refused)) {
            return ": " + refusal;
        }
        String own = PassimLibrary.refusal();
        return own.isEmpty() ? "" : ": " + own;
    }

    /** Any call, PAS or not, as the wire carries it: for tests of how the simulation decodes. */
    ScmResult invoke(ScmCall call) throws IOException, Failure {
        requireOpen();
        try (Arena local = Arena.ofConfined()) {
            return make(WireCall.encode(call, this::allocateMetadata, local));
        }
    }

    private static ScmResult make(WireCall wire) {
        return switch (wire) {
            case WireCall.Smc smc -> PassimLibrary.smc(smc.registers());
            case WireCall.Legacy legacy -> LegacyCommand.decode(PassimLibrary.legacy(legacy.command()), legacy.command());
        };
    }

    /** It recomputes every digest from the carveout before it answers auth_and_reset. */
    @Override
    public boolean authenticates() {
        return true;
    }

    @Override
    public MetadataBuffer allocateMetadata(long size) throws IOException, PosixException {
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
