package dev.mdtload.load;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;
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

    public Loader(SecureMonitor monitor, PasClient pas) {
        this.monitor = monitor;
        this.pas = pas;
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
        }
        long metadataSize = plan.image().segment(0).data().byteSize()
                + plan.image().hashSegment().orElseThrow().bytes().byteSize();
        MetadataBuffer metadata = monitor.allocateMetadata(metadataSize);
        requireWidth(metadata.addr(), metadataSize, "PAS metadata buffer");
        if (plan.where() instanceof LoadPlan.Where.Known known) {
            requireApart(metadata.addr(), metadataSize, known.base(), r.size());
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
                steps.add(timed(listener, "auth_and_reset", "pas id " + r.pasId(), () -> pas.authAndReset(r.pasId())));
            } catch (Failure | IOException | RuntimeException e) {
                undo(carveout, r.pasId(), writing, e, listener);
                throw e;
            }
            return new LoadResult(r.image().toString(), carveout.describe(), r.pasId(), pas.convention(), base,
                    carveout.size(), layout.relocatable(), layout.loadSize(), metadata.addr(), placements, steps,
                    plan.warnings());
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
    private static void requireApart(PhysAddr metadata, long metadataSize, PhysAddr base, long size)
            throws UsageFailure {
        if (metadata.value() < base.value() + size && base.value() < metadata.value() + metadataSize) {
            throw new UsageFailure(String.format("PAS metadata buffer at 0x%x (+0x%x) overlaps the carveout "
                    + "0x%x..0x%x; give --metadata-phys outside it", metadata.value(), metadataSize, base.value(),
                    base.value() + size));
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

    private void undo(Carveout carveout, int pasId, boolean wrote, Exception cause, StepListener listener) {
        if (wrote) {
            try {
                timed(listener, "wipe", carveout.describe(), carveout::wipe);
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

    private static LoadResult.Step timed(StepListener listener, String name, String detail, Action action)
            throws IOException, Failure {
        long start = System.nanoTime();
        try {
            action.run();
        } catch (Failure | IOException | RuntimeException e) {
            listener.failed(name, (System.nanoTime() - start) / 1000, e);
            throw e;
        }
        LoadResult.Step step = new LoadResult.Step(name, (System.nanoTime() - start) / 1000, detail);
        listener.finished(step);
        return step;
    }
}
