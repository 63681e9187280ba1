package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.DmaAddr;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.board.Board;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.Carveouts;
import dev.mdtload.carveout.ReservedMemory;
import dev.mdtload.check.Violation;
import dev.mdtload.image.Validator;
import dev.mdtload.files.AtomicFile;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mdtload.load.Boot;
import dev.mdtload.load.LoadPlan;
import dev.mdtload.load.LoadRequest;
import dev.mdtload.load.LoadResult;
import dev.mdtload.load.Loader;
import dev.mdtload.load.StepListener;
import dev.mdtload.load.Target;
import dev.mdtload.preflight.BoardFacts;
import dev.mdtload.preflight.FactsFile;
import dev.mdtload.preflight.LiteFirmware;
import dev.mdtload.preflight.Preflight;
import dev.mdtload.scm.Host;
import dev.mdtload.scm.PasClient;
import dev.mdtload.scm.RecordingSecureMonitor;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SecureWorldSetup;
import dev.mdtload.scm.SimSecureMonitor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

@Command(name = "load",
        header = "Validate an image, load it into a carveout and have the secure world authenticate and start it.",
        description = {
                "Nothing is written to the carveout until the whole image has been validated; a failure after",
                "writing began wipes the carveout and shuts the peripheral down.",
                "Example: mdtload load wpss.mdt --carveout file:wpss.bin --phys 0x9ae00000 --size 0x1900000 --pas-id 6"})
final class LoadCommand implements Callable<Integer> {
    enum Backend { sim, record }

    /** Wraps the secure world the command opens; tests put a fault injector around the simulated one. */
    private final UnaryOperator<SecureMonitor> secureWorld;

    LoadCommand() {
        this(UnaryOperator.identity());
    }

    LoadCommand(UnaryOperator<SecureMonitor> secureWorld) {
        this.secureWorld = secureWorld;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    StrictOption strict;

    @Mixin
    KernelOption kernel;

    @Parameters(paramLabel = "IMAGE", description = "The image (.mdt or .mbn).")
    Path image;

    @Option(names = "--carveout", required = true, paramLabel = "SPEC",
            description = "file:PATH, devmem[:PATH], uio:NAME[:N], dma-heap:HEAP, memfd or reserved:NAME.")
    String carveout;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Address address;

    static final class Address {
        @Option(names = "--phys", paramLabel = "ADDR", converter = Converters.Phys.class,
                description = "Physical base address of the carveout.")
        PhysAddr phys;

        @Option(names = "--dma", paramLabel = "DEVICE:IOVA", converter = Converters.Dma.class,
                description = "The carveout's address as DEVICE sees it; needs an --iommu-map translation.")
        DmaAddr dma;
    }

    @Option(names = "--size", required = true, paramLabel = "BYTES", converter = Converters.Size.class,
            description = "Size of the carveout.")
    long size;

    @Option(names = "--pas-id", required = true, paramLabel = "N", converter = Converters.Int.class,
            description = "The peripheral's PAS id (e.g. 6 for WPSS).")
    int pasId;

    @Option(names = "--scm", defaultValue = "sim", paramLabel = "BACKEND",
            description = "sim: the simulated secure world; record: write the calls as JSON lines (default: ${DEFAULT-VALUE}).")
    Backend backend;

    @Option(names = "--scm-convention", defaultValue = "smc64", paramLabel = "CONV",
            description = "smc64, smc32 or legacy (32-bit addresses) (default: ${DEFAULT-VALUE}).")
    ScmConvention convention;

    @Option(names = "--iommu-map", paramLabel = "DEVICE:IOVA=PHYS+SIZE", converter = Converters.Window.class,
            description = "Declare a DMA-to-physical translation (DEVICE:identity=BASE+SIZE for no IOMMU).")
    List<IommuMap.Window> iommuMap = List.of();

    @Option(names = "--metadata-phys", paramLabel = "ADDR", converter = Converters.Phys.class,
            description = "Physical address of the metadata buffer the secure world reads (default: 1 MiB below the carveout).")
    PhysAddr metadataPhys;

    @Option(names = "--record", paramLabel = "FILE",
            description = "With --scm record: write the calls to FILE once the load is done, instead of to stdout "
                    + "(where they leave no room for the report, which then goes to stderr); - is stdout.")
    Path recordFile;

    @Option(names = "--facts", paramLabel = "FILE",
            description = "The board's fuses (YAML or JSON, as preflight reads them): the simulated secure world "
                    + "then refuses what that board would, naming the check (see preflight); soc: also shuts "
                    + "down the lite firmware that SoC's boot firmware leaves running.")
    Path factsFile;

    @Option(names = "--el2",
            description = "Linux runs at EL2 with no hypervisor: fetch the resource table (SCM 0x21), and around "
                    + "auth_and_reset unmap mdtload's own mapping of the carveout, map it into the remote processor's "
                    + "IOMMU through the --iommu-map DEVICE:identity=BASE+SIZE window that holds it, and create and "
                    + "delete an SHM bridge over it.")
    boolean el2;

    @Option(names = "--root", defaultValue = "/", paramLabel = "DIR",
            description = "Prefix for /dev and /sys paths (a fake board in tests).")
    Path root;

    @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "DTB companion (as a manifest's companion:)%n")
    Companion companion;

    /**
     * The DTB image newer SoCs load under a PAS id and carveout of their own, authenticated before
     * the main image and stopped with it: the option names are the manifest's companion keys.
     */
    static final class Companion {
        @Option(names = "--companion", required = true, paramLabel = "IMAGE", description = "The DTB companion "
                + "image (*_dtb.mbn), loaded and authenticated before IMAGE.")
        Path image;

        @Option(names = "--companion-size", required = true, paramLabel = "BYTES", converter = Converters.Size.class,
                description = "Size of its carveout.")
        long size;

        @Option(names = "--companion-phys", paramLabel = "ADDR", converter = Converters.Phys.class, description = "Physical "
                + "base of its carveout (not needed for reserved: or uio:).")
        PhysAddr phys;

        @Option(names = "--companion-pas-id", required = true, paramLabel = "N", converter = Converters.Int.class,
                description = "Its own PAS id (the kernel's dtb_pas_id, e.g. 0x24 for x1e80100's ADSP).")
        int pasId;

        @Option(names = "--companion-carveout", required = true, paramLabel = "SPEC", description = "Its carveout, as --carveout.")
        String carveout;

        /** Where its carveout is: at --companion-phys, or where a reserved: or uio: carveout says when opened. */
        Target target() {
            return phys == null ? new Target.CarveoutsOwn() : new Target.Phys(phys);
        }
    }

    @Override
    public Integer call() throws IOException, Failure {
        if (recordFile != null && backend != Backend.record) {
            // silently dropping it would let a script believe it has a record to replay
            throw new UsageFailure("--record " + recordFile + " needs --scm record: --scm " + backend + " records no calls");
        }
        BoardFacts facts = facts();
        if (facts.knowsFuses() && backend != Backend.sim) {
            // a recorder authenticates nothing, so it could not refuse what the board would; the SoC
            // alone it takes, for the lite shutdowns the record must hold
            throw new UsageFailure("--facts " + factsFile + " needs --scm sim: --scm " + backend + " checks nothing");
        }
        // "-" is stdout, where the calls go without --record
        boolean recordToStdout = recordFile == null || recordFile.toString().equals(Output.STDOUT);
        if (!recordToStdout) {
            List<Path> inputs = new ArrayList<>(Output.imageFiles(image));
            if (companion != null) {
                inputs.addAll(Output.imageFiles(companion.image));
            }
            Output.requireNotInput(recordFile, inputs);
        }
        Target target = address == null ? new Target.CarveoutsOwn()
                : address.phys != null ? new Target.Phys(address.phys) : new Target.Dma(address.dma);
        CarveoutOptions.check(target, size);
        if (metadataPhys != null && !metadataPhys.isAligned(Page.SIZE)) {
            throw new UsageFailure(String.format("--metadata-phys 0x%x is not aligned to the %d-byte page",
                    metadataPhys.value(), Page.SIZE));
        }
        CarveoutSpec carveoutSpec = CarveoutSpec.parse(carveout);
        // the device tree is read only when a reserved: spec asks for it, so other loads need none
        ReservedMemory reserved = name -> Board.read(root).reservedMemory().find(name);
        LoadRequest request = new LoadRequest(image, carveoutSpec, target, size, pasId, new IommuMap(iommuMap), root,
                reserved);
        StringWriter calls = new StringWriter();
        Boot.Result booted;
        LoadView view;
        boolean authenticated;
        try (Boot boot = plan(request, LiteFirmware.shutdowns(facts, pasId), reserved);
             SecureMonitor monitor = secureWorld.apply(monitor(boot, calls, facts))) {
            booted = new Loader(monitor, new PasClient(monitor, convention), host()).boot(boot, StepListener.NONE);
            authenticated = monitor.authenticates();
            view = LoadView.of(booted, boot, authenticated);
        }
        String report = common.json ? Json.verdict(spec, ExitCode.OK, view, List.of(), warnings(booted))
                : summary(booted, authenticated);
        PrintWriter out = spec.commandLine().getOut();
        if (backend == Backend.record && recordToStdout) {
            // scripts replay stdout line by line: only the calls go there
            out.print(calls);
            spec.commandLine().getErr().println(report);
        } else {
            if (backend == Backend.record) {
                AtomicFile.write(recordFile, true, calls.toString().getBytes(StandardCharsets.UTF_8));
            }
            out.println(report);
        }
        out.flush();
        return ExitCode.OK;
    }

    /**
     * Both images validated and placed before anything is opened or written: the main image, then
     * its companion, each refused as {@code load} refuses one image; and their carveouts apart
     * ({@link Boot#of}).
     */
    private Boot plan(LoadRequest request, List<Long> lite, ReservedMemory reserved) throws IOException, Failure {
        if (companion != null) {
            if (companion.pasId == pasId) {
                throw new UsageFailure("--companion-pas-id " + pasId + " is the main image's --pas-id: the companion "
                        + "is authenticated under a PAS id of its own");
            }
            CarveoutOptions.check(companion.target(), companion.size,
                    new Carveouts.Names("--companion-phys", "--companion-size"));
        }
        Validator validator = new Validator(false, strict.strict, kernel.rules());
        LoadPlan main = Loader.plan(request, validator);
        try {
            if (companion == null) {
                return Boot.of(lite, List.of(), main);
            }
            LoadRequest companionRequest = new LoadRequest(companion.image, CarveoutSpec.parse(companion.carveout),
                    companion.target(), companion.size,
                    companion.pasId, request.iommu(), root, reserved);
            LoadPlan dtb = Loader.plan(companionRequest, validator);
            try {
                return Boot.of(lite, List.of(dtb), main);
            } catch (UsageFailure | RuntimeException e) {
                dtb.close();
                throw e;
            }
        } catch (IOException | Failure | RuntimeException e) {
            main.close();
            throw e;
        }
    }

    /** A record is kept until the load is done, so a failed dry run leaves no half record behind. */
    private SecureMonitor monitor(Boot boot, Writer record, BoardFacts facts) throws IOException, Failure {
        PhysAddr meta = metadataPhys != null ? metadataPhys : defaultMetadataBase(boot.main().where());
        return switch (backend) {
            case sim -> SimSecureMonitor.open(new SecureWorldSetup(meta, boot.peripherals(), Preflight.policy(facts),
                    LiteFirmware.running(facts)), host());
            case record -> new RecordingSecureMonitor(record, meta);
        };
    }

    private Host host() {
        return el2 ? Host.EL2 : Host.HYPERVISOR;
    }

    /**
     * The board's fuses and SoC from --facts, read before anything is opened, with the SoC the live
     * device tree under --root names when --facts names none: the kernel's driver knows its SoC from
     * the tree too (its remoteproc node's compatible, qcom,x1e80100-adsp-pas), and with it which lite
     * firmware to shut down.
     */
    private BoardFacts facts() throws IOException, UsageFailure {
        BoardFacts given;
        try {
            given = factsFile == null ? BoardFacts.NONE : FactsFile.read(factsFile);
        } catch (IllegalArgumentException e) {
            throw new UsageFailure(e.getMessage());
        }
        BoardFacts used = given.withSocOf(Board.rootCompatible(root));
        Verbosity.socFromTree(spec, given, used, root);
        return used;
    }

    private static List<Violation> warnings(Boot.Result booted) {
        return Stream.concat(booted.companions().stream(), Stream.of(booted.main())).flatMap(r -> r.warnings().stream()).toList();
    }

    /**
     * Out of the carveout's way: the MiB below it, or above it when it starts in the first MiB.
     * Where the base is known only once the carveout is open (uio), no guess is safe.
     */
    private PhysAddr defaultMetadataBase(LoadPlan.Where where) throws UsageFailure {
        return switch (where) {
            case LoadPlan.Where.Known known -> known.base().value() >= (1 << 20) ? known.base().minus(1 << 20)
                    : known.base().plus(size);
            case LoadPlan.Where.ReadAtOpen ignored -> throw new UsageFailure(carveout + ": its physical base is read "
                    + "when it is opened; give --phys, or --metadata-phys for the metadata buffer");
        };
    }

    /**
     * {@code load --json}: the carveout's spec as given, addresses as numbers, placements as {@code map --json} shows them;
     * the lite firmware's shutdowns and the DTB companions' own loads only when there were any.
     */
    record LoadView(String image, String carveout, int pasId, String convention, long base, long size,
                    boolean relocatable, long loadSize, long metadata, List<Json.PlacementView> placements,
                    List<LoadResult.Step> steps, String state,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LoadResult.Step> liteShutdowns,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LoadView> companions) {
        /** state: "running" once the secure world authenticated and started it, "recorded" when the calls were only written. */
        static LoadView of(LoadResult r, CarveoutSpec spec, boolean authenticated) {
            return new LoadView(r.image(), spec.toString(), r.pasId(), r.convention().name().toLowerCase(java.util.Locale.ROOT),
                    r.base().value(), r.size(), r.relocatable(), r.loadSize(), r.metadata().value(),
                    Json.PlacementView.of(r.placements()), r.steps(), authenticated ? "running" : "recorded", List.of(), List.of());
        }

        static LoadView of(Boot.Result booted, Boot boot, boolean authenticated) {
            LoadView main = of(booted.main(), boot.main().request().carveout(), authenticated);
            return new LoadView(main.image, main.carveout, main.pasId, main.convention, main.base, main.size, main.relocatable,
                    main.loadSize, main.metadata, main.placements, main.steps, main.state, booted.lite(),
                    IntStream.range(0, booted.companions().size()).mapToObj(i -> of(booted.companions().get(i),
                            boot.companions().get(i).request().carveout(), authenticated)).toList());
        }
    }

    /** The lite shutdowns, the companion's summary, then the main image's. */
    private static String summary(Boot.Result booted, boolean authenticated) {
        StringBuilder b = new StringBuilder();
        for (LoadResult.Step s : booted.lite()) {
            b.append(String.format("lite firmware: %s%n", s.detail()));
        }
        booted.companions().forEach(c -> b.append("companion: ").append(summary(c, authenticated)).append(String.format("%n")));
        return b.append(summary(booted.main(), authenticated)).toString();
    }

    private static String summary(LoadResult r, boolean authenticated) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("loaded %s into %s%n", r.image(), r.carveout()));
        b.append(String.format("  base %s, %s, load size %d, metadata at %s, %s convention%n", r.base(),
                r.relocatable() ? "relocatable" : "fixed", r.loadSize(), r.metadata(), r.convention()));
        for (LoadResult.Step s : r.steps()) {
            b.append(String.format("  %-15s %8.3f ms  %s%n", s.name(), s.micros() / 1000.0, s.detail()));
        }
        for (Violation w : r.warnings()) {
            b.append("  warning: ").append(w.line()).append(String.format("%n"));
        }
        b.append(authenticated ? String.format("  pas id %d authenticated and started", r.pasId())
                : String.format("  pas id %d: calls recorded, not made: nothing was authenticated or started", r.pasId()));
        return b.toString();
    }
}
