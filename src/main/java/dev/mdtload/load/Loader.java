package dev.mdtload.load;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.DmaAddr;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.address.PhysRange;
import dev.mdtload.carveout.Carveout;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.Carveouts;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Violation;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageSegment;
import dev.mdtload.image.LoadLayout;
import dev.mdtload.image.LoadLayout.Placement;
import dev.mdtload.image.Validator;
import dev.mdtload.scm.Host;
import dev.mdtload.scm.MetadataBuffer;
import dev.mdtload.scm.PasClient;
import dev.mdtload.scm.ScmException;
import dev.mdtload.scm.SecureMonitor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Loads an image the way the kernel's PAS loader does, in an order that never leaves a half-written
 * carveout behind a bad image: validate everything (digests included) → init_image → mem_setup
 * (relocatable only) → copy segments with zero fill → auth_and_reset. The kernel copies first and
 * verifies last; here nothing touches the carveout until the whole image has been checked, and a
 * failure after copying began wipes the carveout and shuts the peripheral down.
 */
public final class Loader {
    private final SecureMonitor monitor;
    private final PasClient pas;
    private final Host host;

    public Loader(SecureMonitor monitor, PasClient pas) {
        this(monitor, pas, Host.HYPERVISOR);
    }

    /**
     * A loader for an OS that runs as {@code host}. At {@link Host#EL2} it also does what a
     * hypervisor would: fetches the resource table first, and after the copy drops its own CPU
     * mapping of the carveout, maps the carveout into the remote processor's IOMMU (the identity
     * window the request declares) and creates an SHM bridge around auth_and_reset.
     */
    public Loader(SecureMonitor monitor, PasClient pas, Host host) {
        this.monitor = monitor;
        this.pas = pas;
        this.host = host;
    }

    /**
     * Every check that needs neither the carveout nor the secure world. Writes nothing.
     *
     * @throws InvalidImageException the image breaks a rule or does not fit the carveout
     * @throws UsageFailure      the address is a DMA address without a translation, or too wide
     */
    public static LoadPlan plan(LoadRequest request) throws IOException, Failure {
        return plan(request, new Validator(false));
    }

    /** As {@link #plan(LoadRequest)}, judging the image with {@code validator} (strict or not). */
    public static LoadPlan plan(LoadRequest request, Validator validator) throws IOException, Failure {
        requirePhysicalBase(request);
        long start = System.nanoTime();
        FirmwareImage image = FirmwareImage.open(request.image());
        try {
            List<Violation> warnings = validator.requireValid(image);
            long validated = (System.nanoTime() - start) / 1000;
            return new LoadPlan(request, image, where(request, image), validated, warnings);
        } catch (IOException | Failure | RuntimeException e) {
            image.close();
            throw e;
        }
    }

    /**
     * Refuses, from the spec alone, a carveout that could never tell the secure world where it is,
     * before a dma-buf is allocated or a file: carveout created only to be refused afterwards.
     */
    private static void requirePhysicalBase(LoadRequest request) throws UsageFailure {
        CarveoutSpec spec = request.carveout();
        if (spec instanceof CarveoutSpec.DmaHeap) {
            throw new UsageFailure("carveout " + spec + " has no physical address (userspace only ever sees a "
                    + "DMA address of a dma-buf); the secure world authenticates physical memory: PAS load refused");
        }
        boolean ownBase = spec instanceof CarveoutSpec.Uio || spec instanceof CarveoutSpec.Reserved;
        if (request.target() instanceof Target.CarveoutsOwn && !ownBase) {
            throw new UsageFailure("carveout " + spec + " does not know its physical address: give it with --phys "
                    + "(or --dma with an --iommu-map translation)");
        }
    }

    /**
     * The user's address as the secure world must see it: physical, translated explicitly if it
     * was DMA; for a {@code reserved:} carveout given without one, the region's own base; else
     * the one the carveout has when opened.
     */
    private static LoadPlan.Where where(LoadRequest request, FirmwareImage image)
            throws IOException, Failure {
        PhysAddr base;
        switch (request.target()) {
            case Target.Phys p -> base = p.addr();
            case Target.Dma d -> base = request.iommu().translate(d.addr(), request.size());
            case Target.CarveoutsOwn ignored -> {
                if (!(request.carveout() instanceof CarveoutSpec.Reserved reserved)) {
                    return new LoadPlan.Where.ReadAtOpen();
                }
                base = request.reserved().find(reserved.name())
                        .orElseThrow(() -> reserved.noSuchRegion()).base();
            }
        }
        return new LoadPlan.Where.Known(base, image.layout().place(request.image().toString(), base.value(),
                request.size()));
    }

    /**
     * Opens the carveout and runs the PAS sequence.
     *
     * @throws ScmException the secure world refused a call; the carveout has been wiped and the
     *                      peripheral shut down
     */
    public LoadResult execute(LoadPlan plan) throws IOException, Failure {
        return execute(plan, StepListener.NONE);
    }

    /** {@link #execute(LoadPlan)}, telling {@code listener} of every step as it ends, undo steps included. */
    public LoadResult execute(LoadPlan plan, StepListener listener) throws IOException, Failure {
        LoadRequest r = plan.request();
        List<LoadResult.Step> steps = new ArrayList<>();
        steps.add(new LoadResult.Step("validate", plan.validateMicros(), plan.image().segments().size() + " segments"));
        // every address the secure world will see is checked against the call width before the
        // carveout is even opened (opening a file: carveout creates it)
        if (plan.where() instanceof LoadPlan.Where.Known known) {
            requireWidth(known.base(), r.size(), "carveout " + r.carveout());
            if (host == Host.EL2) {
                // refused before a file: carveout is created, like every other usage error
                r.iommu().identityOver(known.base(), r.size());
            }
        }
        if (host == Host.EL2) {
            // kernel qcom_pas_parse_firmware(): the table is fetched before the image is loaded
            steps.add(timed(listener, "rsc_table", () -> pas.resourceTable(r.pasId()).toString()));
        }
        long metadataSize = plan.image().segment(0).data().byteSize()
                + plan.image().hashSegment().orElseThrow().bytes().byteSize();
        MetadataBuffer metadata = monitor.allocateMetadata(metadataSize);
        requireWidth(metadata.addr(), metadataSize, "PAS metadata buffer");
        if (plan.where() instanceof LoadPlan.Where.Known known) {
            requireApart(new PhysRange(metadata.addr(), metadataSize), new PhysRange(known.base(), r.size()));
        }
        try (Carveout carveout = open(plan)) {
            LoadPlan.Where.Known at = placed(plan, carveout);
            PhysAddr base = at.base();
            requireWidth(base, carveout.size(), "carveout " + r.carveout());
            List<Placement> placements = at.placements();
            LoadLayout layout = plan.image().layout();
            try (Arena arena = Arena.ofConfined()) {
                fromMappedFiles(r.image() + ": metadata (segment 0 and the hash segment)",
                        () -> MemorySegment.copy(plan.image().metadata(arena), 0, metadata.memory(), 0, metadataSize));
            }

            steps.add(timed(listener, "init_image", "metadata at " + metadata.addr(),
                    () -> pas.initImage(r.pasId(), metadata)));
            boolean writing = false;
            try {
                if (layout.relocatable()) {
                    steps.add(timed(listener, "mem_setup", base + " + " + layout.loadSize(),
                            () -> pas.memSetup(r.pasId(), base, layout.loadSize())));
                }
                writing = true;
                steps.add(timed(listener, "copy", placements.size() + " segments",
                        () -> copy(plan.image(), carveout, placements)));
                if (host == Host.EL2) {
                    authenticateAtEl2(plan, carveout, base, steps, listener);
                } else {
                    steps.add(timed(listener, "auth_and_reset", "pas id " + r.pasId(), () -> pas.authAndReset(r.pasId())));
                }
            } catch (Failure | IOException | RuntimeException e) {
                undo(plan, carveout, r.pasId(), writing, e, listener);
                throw e;
            }
            return new LoadResult(r.image().toString(), carveout.describe(), r.pasId(), pas.convention(), base,
                    carveout.size(), layout.relocatable(), layout.loadSize(), metadata.addr(), placements, steps,
                    plan.warnings());
        }
    }

    /**
     * How many steps {@link #execute} tells its listener of for {@code plan} when all go well, at
     * {@code host}: init_image, mem_setup (a relocatable image only), copy and auth_and_reset, and
     * at EL2 rsc_table, unmap, iommu_map, shm_bridge_create and shm_bridge_delete besides. Kept
     * beside the steps themselves, so that a progress bar's count follows them.
     */
    public static int steps(LoadPlan plan, Host host) {
        return (plan.image().layout().relocatable() ? 4 : 3) + (host == Host.EL2 ? 5 : 0);
    }

    /** The prefix of a companion's step names in what a {@link StepListener} hears: "companion_init_image". */
    public static final String COMPANION = "companion_";

    /**
     * Runs {@code boot}: the lite firmware's shutdowns (each answer ignored, as the kernel ignores
     * it), the companion's load, then the main image's. When the main image fails, the companion is
     * shut down and its carveout zeroed before the failure is thrown; companion steps reach
     * {@code listener} as {@value #COMPANION} + their name.
     *
     * @throws ScmException the secure world refused a call of either image; whatever was loaded has
     *                      been shut down and wiped
     */
    public Boot.Result boot(Boot boot, StepListener listener) throws IOException, Failure {
        List<LoadResult.Step> lite = new ArrayList<>();
        for (long pasId : boot.lite()) {
            lite.add(shutdownLite(pasId, listener));
        }
        List<LoadResult> companions = new ArrayList<>();
        try {
            for (LoadPlan companion : boot.companions()) {
                companions.add(execute(companion, listener.prefixed(COMPANION)));
            }
            return new Boot.Result(lite, companions, execute(boot.main(), listener));
        } catch (IOException | Failure | RuntimeException e) {
            // the main image was undone by execute; its loaded companions follow, as in stop(Boot)
            stopCompanions(boot.companions().subList(0, companions.size()), listener);
            throw e;
        }
    }

    /**
     * Stops what {@link #boot} started, in the order of the kernel's qcom_pas_stop(): the main
     * image, then its companions. Nothing is thrown, so every image is stopped.
     *
     * @return whether the secure world accepted every shutdown
     */
    public boolean stop(Boot boot, StepListener listener) {
        return stop(boot.main(), listener) & stopCompanions(boot.companions(), listener);
    }

    private boolean stopCompanions(List<LoadPlan> loaded, StepListener listener) {
        boolean down = true;
        for (LoadPlan companion : loaded.reversed()) {
            down &= stop(companion, listener.prefixed(COMPANION));
        }
        return down;
    }

    /**
     * Kernel qcom_pas_load(): {@code qcom_scm_pas_shutdown(lite_pas_id)}, its return value unused,
     * since nothing tells whether the boot firmware's lite firmware runs. A secure world that cannot
     * be reached still fails the load.
     */
    private LoadResult.Step shutdownLite(long pasId, StepListener listener) throws IOException, Failure {
        return timed(listener, "lite_shutdown", () -> {
            try {
                pas.shutdown(pasId);
                return String.format("pas id %d (0x%x) shut down", pasId, pasId);
            } catch (ScmException refused) {
                return refused.getMessage() + " (ignored, as the kernel ignores it)";
            }
        });
    }

    /**
     * Stops an image that {@link #execute} loaded: PAS shutdown of its peripheral, then its carveout
     * reopened and zeroed, even when the shutdown was refused, so the image stays in memory either
     * way. Each step reaches {@code listener}; nothing is thrown, so the next undo still runs.
     *
     * @return whether the secure world accepted the shutdown
     */
    public boolean stop(LoadPlan plan, StepListener listener) {
        int pasId = plan.request().pasId();
        boolean down = quietly(listener, "shutdown", "pas id " + pasId + " shut down", () -> pas.shutdown(pasId));
        quietly(listener, "wipe", "carveout " + plan.request().carveout() + " at " + plan.where() + " zeroed",
                () -> wipe(plan));
        return down;
    }

    private static boolean quietly(StepListener listener, String name, String detail, Action action) {
        try {
            timed(listener, name, detail, action);
            return true;
        } catch (IOException | Failure e) {
            return false;
        }
    }

    /**
     * Reopens the carveout of a load that {@link #execute} finished and zeroes it: with a PAS
     * shutdown of its peripheral, the undo of a load that succeeded (provisioning stops what it
     * started when a later processor fails).
     */
    public static void wipe(LoadPlan plan) throws IOException, Failure {
        try (Carveout carveout = open(plan)) {
            carveout.wipe();
        }
    }

    private static Carveout open(LoadPlan plan) throws IOException, Failure {
        return Carveouts.open(plan.request().carveout(), plan.carveoutRequest());
    }

    /** The metadata must survive the copy: a buffer inside the carveout would be overwritten by segments. */
    private static void requireApart(PhysRange metadata, PhysRange carveout) throws UsageFailure {
        if (metadata.overlaps(carveout)) {
            throw new UsageFailure(String.format("PAS metadata buffer at 0x%x (+0x%x) overlaps the carveout "
                    + "0x%x..0x%x; give --metadata-phys outside it", metadata.base().value(), metadata.size(),
                    carveout.base().value(), carveout.end().value()));
        }
    }

    private void requireWidth(PhysAddr addr, long size, String what) throws UsageFailure {
        pas.convention().width().require(addr, size, what + " (" + pas.convention() + " convention)");
    }

    /**
     * The physical base the secure world will be given, and the segments' places: as planned, or
     * worked out now from the base the carveout has. Refused when it has none.
     */
    private static LoadPlan.Where.Known placed(LoadPlan plan, Carveout carveout)
            throws Failure {
        Optional<PhysAddr> own = carveout.physBase();
        if (own.isEmpty()) {
            // plan() refuses every kind that cannot learn its base; this guards a kind added later
            throw new UsageFailure(carveout.describe() + ": the secure world cannot be told where it is: "
                    + "PAS load refused");
        }
        return switch (plan.where()) {
            case LoadPlan.Where.Known known when known.base().equals(own.get()) -> known;
            case LoadPlan.Where.Known known -> throw new UsageFailure(carveout.describe() + " is at " + own.get()
                    + ", not at the requested " + known.base());
            case LoadPlan.Where.ReadAtOpen ignored -> new LoadPlan.Where.Known(own.get(), plan.image().layout()
                    .place(plan.request().image().toString(), own.get().value(), carveout.size()));
        };
    }

    /** Bulk copies from the mapped image files into the carveout: no heap copies. */
    private static void copy(FirmwareImage image, Carveout carveout, List<Placement> placements)
            throws IOException, Failure {
        MemorySegment memory = carveout.memory();
        boolean fillAlreadyThere = fillAlreadyThere(carveout, placements);
        for (Placement p : placements) {
            ImageSegment s = image.segment(p.phdr().index());
            long filesz = p.phdr().p_filesz();
            fromMappedFiles(image.path() + ": segment " + s.index() + ": " + s.sourceName(),
                    () -> carveout.store(s.data(), p.offset()));
            if (!fillAlreadyThere) {
                memory.asSlice(p.offset() + filesz, p.phdr().p_memsz() - filesz).fill((byte) 0);
            }
        }
        carveout.flush();
    }

    /**
     * Whether every byte of zero fill is zero already: the carveout read as zero when this run
     * opened it, and no two segments share a byte, so no fill lands where a segment was written.
     * Storing zeros there would dirty every page of a file that is a hole (qcm2290's modem.mbn has
     * 97 of its 105 MiB in zero fill) for the same bytes (docs/benchmarks.md, third round).
     */
    private static boolean fillAlreadyThere(Carveout carveout, List<Placement> placements) {
        if (!carveout.startedZeroed()) {
            return false;
        }
        List<Placement> byOffset = placements.stream().sorted(Comparator.comparingLong(Placement::offset)).toList();
        // sorted by start, any overlap shows between neighbours
        for (int i = 1; i < byOffset.size(); i++) {
            Placement before = byOffset.get(i - 1);
            if (before.offset() + before.phdr().p_memsz() > byOffset.get(i).offset()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs a copy out of the image's mapped files. A file cut short by someone else after it was
     * validated faults on access (SIGBUS), which the JVM raises as InternalError.
     */
    private static void fromMappedFiles(String what, Action copy) throws IOException, Failure {
        try {
            copy.run();
        } catch (InternalError fault) {
            throw new IOException(what + " changed while it was being copied", fault);
        }
    }

    /**
     * What a hypervisor does around auth_and_reset, done by the loader at EL2, in the kernel's
     * order (qcom_q6v5_pas.c qcom_pas_start(), qcom_scm.c qcom_scm_pas_prepare_and_auth_reset()):
     * unmap the CPU's view of the carveout ("remoteproc: qcom: pas: Map/unmap subsystem region
     * before auth_and_reset": a speculative access to memory the processor now owns is an XPU
     * violation), map it into the processor's IOMMU 1:1, bridge it for the secure world,
     * authenticate, and delete the bridge whether or not authentication passed.
     */
    private void authenticateAtEl2(LoadPlan plan, Carveout carveout, PhysAddr base, List<LoadResult.Step> steps,
                                   StepListener listener) throws IOException, Failure {
        int pasId = plan.request().pasId();
        long size = carveout.size();
        steps.add(timed(listener, "unmap", carveout.describe(), carveout::close));
        IommuMap iommu = plan.request().iommu();
        DmaAddr device = iommu.identityOver(base, size).dmaAddr(base, size);
        steps.add(timed(listener, "iommu_map", device + " = " + base + " + 0x" + Long.toHexString(size),
                () -> requireIdentity(iommu.translate(device, size), base)));
        long[] handle = new long[1];
        steps.add(timed(listener, "shm_bridge_create", () -> {
            handle[0] = pas.shmBridgeCreate(pasId, base, size);
            return "handle " + handle[0] + " over " + base + " + 0x" + Long.toHexString(size);
        }));
        Action deleteBridge = () -> steps.add(timed(listener, "shm_bridge_delete", "handle " + handle[0],
                () -> pas.shmBridgeDelete(pasId, handle[0])));
        try {
            steps.add(timed(listener, "auth_and_reset", "pas id " + pasId, () -> pas.authAndReset(pasId)));
        } catch (Failure | IOException | RuntimeException refused) {
            try {
                deleteBridge.run();
            } catch (Failure | IOException | RuntimeException e) {
                refused.addSuppressed(e);
            }
            throw refused;
        }
        deleteBridge.run();
    }

    private static void requireIdentity(PhysAddr translated, PhysAddr base) {
        if (!translated.equals(base)) {
            // identityOver() found an identity window and translate() chose it: only a broken IommuMap differs
            throw new AssertionError("identity window translated " + base + " to " + translated);
        }
    }

    private void undo(LoadPlan plan, Carveout carveout, int pasId, boolean wrote, Exception cause,
                      StepListener listener) {
        if (wrote) {
            try {
                // at EL2 the loader's own mapping is gone by auth_and_reset: reopen it to wipe
                timed(listener, "wipe", carveout.describe(),
                        carveout.memory().scope().isAlive() ? carveout::wipe : () -> wipe(plan));
            } catch (Failure | IOException e) {
                cause.addSuppressed(e);
            }
        }
        try {
            timed(listener, "shutdown", "pas id " + pasId, () -> pas.shutdown(pasId));
        } catch (Failure | IOException e) {
            cause.addSuppressed(e);
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException, Failure;
    }

    /** An action whose detail is known only once it is done (a handle, what the secure world answered). */
    @FunctionalInterface
    private interface Reporting {
        String run() throws IOException, Failure;
    }

    private static LoadResult.Step timed(StepListener listener, String name, String detail, Action action)
            throws IOException, Failure {
        return timed(listener, name, () -> {
            action.run();
            return detail;
        });
    }

    private static LoadResult.Step timed(StepListener listener, String name, Reporting action)
            throws IOException, Failure {
        long start = System.nanoTime();
        String detail;
        try {
            detail = action.run();
        } catch (Failure | IOException | RuntimeException e) {
            listener.failed(name, (System.nanoTime() - start) / 1000, e);
            throw e;
        }
        LoadResult.Step step = new LoadResult.Step(name, (System.nanoTime() - start) / 1000, detail);
        listener.finished(step);
        return step;
    }
}
