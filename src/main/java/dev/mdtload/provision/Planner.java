package dev.mdtload.provision;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.InvalidInput;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.address.PhysRange;
import dev.mdtload.board.Board;
import dev.mdtload.board.Carveout;
import dev.mdtload.board.DeviceTreeException;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.carveout.Carveouts;
import dev.mdtload.carveout.ReservedMemory;
import dev.mdtload.check.Violation;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.LoadLayout;
import dev.mdtload.image.Validator;
import dev.mdtload.kernel.KernelRules;
import dev.mdtload.kernel.RunningKernel;
import dev.mdtload.load.Boot;
import dev.mdtload.load.LoadPlan;
import dev.mdtload.load.LoadRequest;
import dev.mdtload.load.Loader;
import dev.mdtload.load.Target;
import dev.mdtload.preflight.BoardFacts;
import dev.mdtload.preflight.LiteFirmware;
import dev.mdtload.provision.Manifest.CarveoutRef;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.provision.Manifest.KernelCarveout;
import dev.mdtload.provision.Manifest.Method;
import dev.mdtload.provision.Manifest.PasImage;
import dev.mdtload.rproc.FileSysfs;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.rproc.Remoteproc;
import dev.mdtload.rproc.Remoteprocs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.function.Function;

/** Builds a {@link Plan}: every check of every entry, each failure one problem line; reads, never writes. */
final class Planner {
    /** Room for the secure world's shared buffers: a few pages of metadata per image. */
    static final long SHARED_WINDOW = 1 << 20;

    private final Manifest manifest;
    private final Path root;
    private final boolean dryRun;
    /** The manifest's facts, with the SoC the board's device tree names when they name none. */
    private final BoardFacts facts;
    private final Remoteprocs remoteprocs;
    private final List<String> problems = new ArrayList<>();
    private final List<ReportStep> checks = new ArrayList<>();
    private final List<Claim> claims = new ArrayList<>();
    /** Each remote processor with the entry that brings it up: two entries may not start the same one. */
    private final Map<String, Entry> started = new HashMap<>();
    private BoardTree tree = new BoardTree.Unread();

    /** The board's device tree: read once, when a check first needs it; a tree that cannot be read fails every such check alike. */
    private sealed interface BoardTree {
        /** The carveouts it knows, which the shared buffers must stay clear of. */
        List<PhysRange> carveouts();

        record Unread() implements BoardTree {
            @Override
            public List<PhysRange> carveouts() {
                return List.of();
            }
        }

        record Read(Board board) implements BoardTree {
            @Override
            public List<PhysRange> carveouts() {
                return board.carveouts().stream().map(Carveout::range).toList();
            }
        }

        record Unreadable(Failure failure) implements BoardTree {
            @Override
            public List<PhysRange> carveouts() {
                return List.of();
            }
        }
    }

    /** An entry's carveout, once resolved: the overlap check compares every pair. */
    private record Claim(Entry entry, CarveoutRef carveout, PhysRange range) {}

    @FunctionalInterface
    private interface Check<T> {
        T run() throws IOException, Failure;
    }

    /** The manifest's kernel, else the board's: the running kernel read under ROOT, as validate's default. */
    private KernelRules kernel() {
        return switch (manifest.settings().kernel()) {
            case Manifest.Kernel.Named(KernelRules rules) -> rules;
            case Manifest.Kernel.BoardsOwn _ -> RunningKernel.defaultRules(root);
        };
    }

    Planner(Manifest manifest, Path root, boolean dryRun) {
        this.manifest = manifest;
        this.root = root;
        this.dryRun = dryRun;
        this.facts = manifest.settings().facts().withSocOf(Board.rootCompatible(root));
        // only read here, whatever the run will drive: the files are the same
        this.remoteprocs = new Remoteprocs(root, new FileSysfs(root));
    }

    Plan plan() {
        long begin = System.nanoTime();
        List<Planned> items = new ArrayList<>();
        try {
            for (Entry e : manifest.processors()) {
                Optional<Planned> planned = switch (e.method()) {
                    case Method.Scm scm -> scm(e, scm);
                    case Method.Remoteproc rproc -> remoteproc(e, rproc);
                };
                planned.ifPresent(items::add);
            }
            overlaps();
        } catch (RuntimeException | Error e) {
            items.forEach(Planned::close);
            throw e;
        }
        if (!problems.isEmpty()) {
            items.forEach(Planned::close);
            items.clear();
        }
        return new Plan(manifest, facts, root, dryRun, items, problems, checks,
                sharedBase(claims.stream().map(Claim::range).toList()), micros(begin));
    }

    /** Resolves one carveout of {@code e} as a plan step; once resolved it takes part in the overlap check. */
    private Optional<PhysRange> claim(Entry e, String step, CarveoutRef carveout, Check<PhysRange> resolve) {
        Optional<PhysRange> range = check(e, step, resolve, PhysRange::toString);
        range.ifPresent(r -> claims.add(new Claim(e, carveout, r)));
        return range;
    }

    private PhysRange range(CarveoutRef carveout) throws IOException, Failure {
        return switch (carveout) {
            case CarveoutRef.Reserved r -> {
                ReservedMemory.Region region = board().reservedMemory().find(r.spec().name())
                        .orElseThrow(() -> r.spec().noSuchRegion());
                yield new PhysRange(region.base(), region.size());
            }
            case CarveoutRef.Explicit x -> new PhysRange(x.phys(), x.size());
        };
    }

    /** A carveout mdtload loads into: everything opening it will check, and the call width. */
    private PhysRange loadCarveout(CarveoutRef carveout) throws IOException, Failure {
        PhysRange range = range(carveout);
        Carveouts.check(opened(carveout), request(range));
        manifest.settings().convention().width().require(range.base(), range.size(),
                "carveout " + carveout.spec() + " (" + manifest.settings().convention().id() + " convention)");
        if (manifest.settings().host() instanceof Manifest.OsLevel.El2 el2 && el2.iommu().identityHolding(range.base(),
                range.size()).isEmpty()) {
            // the loader would refuse it only when this entry's turn came, after earlier ones started
            throw new UsageFailure(String.format("host: el2: no identity window of iommu_map holds carveout %s %s, "
                    + "and its processor sees it through one: add DEVICE:identity=0x%x+0x%x", carveout.spec(), range,
                    range.base().value(), range.size()));
        }
        return range;
    }

    /** A carveout the kernel fills: it must be there, but mdtload opens none of its memory. */
    private PhysRange kernelCarveout(CarveoutRef carveout) throws IOException, Failure {
        PhysRange range = range(carveout);
        Carveouts.check(new CarveoutSpec.Memfd(), request(range));
        return range;
    }

    /** A dry run loads into anonymous memory at the same addresses. */
    private CarveoutSpec opened(CarveoutRef carveout) {
        return dryRun ? new CarveoutSpec.Memfd() : carveout.spec();
    }

    private Carveouts.Request request(PhysRange range) {
        return new Carveouts.Request(new Carveouts.Base.Given(range.base()), range.size(), root, reserved());
    }

    /** Every image of the entry (the main one, its DTB companion) planned, or none. */
    private Optional<Planned> scm(Entry e, Method.Scm scm) {
        List<PasImage> images = scm.images(e.image());
        List<Optional<PhysRange>> ranges = new ArrayList<>();
        for (PasImage image : images) {
            ranges.add(claim(e, image.role().step("carveout"), image.carveout(), () -> loadCarveout(image.carveout())));
        }
        if (ranges.getFirst().isEmpty()) {
            // nowhere to load the main image: its validation would say nothing the carveout's problem does not
            return Optional.empty();
        }
        List<Optional<LoadPlan>> loads = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            PasImage image = images.get(i);
            loads.add(ranges.get(i).flatMap(r -> load(e, image, r)));
        }
        if (loads.stream().allMatch(Optional::isPresent)) {
            List<LoadPlan> plans = loads.stream().map(Optional::orElseThrow).toList();
            try {
                // images() lists the main image first, then its companion
                return Optional.of(new Planned.ScmLoad(e, Boot.of(LiteFirmware.shutdowns(facts,
                        scm.pasId()), plans.subList(1, plans.size()), plans.getFirst()), manifest.settings().host().level()));
            } catch (UsageFailure overlapping) {
                // Boot's one refusal is a companion's carveout over the main one's: a pair of claims
                // that overlaps() reports with every other pair, naming both carveouts' specs
            }
        }
        loads.forEach(l -> l.ifPresent(LoadPlan::close));
        return Optional.empty();
    }

    private Optional<LoadPlan> load(Entry e, PasImage image, PhysRange r) {
        LoadRequest request = new LoadRequest(image.image(), opened(image.carveout()), new Target.Phys(r.base()), r.size(),
                image.pasId(), manifest.settings().host().iommu(), root, reserved());
        return check(e, image.role().step("validate"), () -> {
            LoadPlan load = Loader.plan(request, new Validator(false, false, kernel()));
            try {
                requireRoom(load.image().layout(), r);
            } catch (InvalidInput | RuntimeException x) {
                load.close();
                throw x;
            }
            return load;
        }, load -> summary(load.image(), new Room.Within(r), load.warnings()));
    }

    private Optional<Planned> remoteproc(Entry e, Method.Remoteproc m) {
        Room room = switch (m.carveout()) {
            case KernelCarveout.Named(CarveoutRef ref) -> claim(e, "carveout", ref, () -> kernelCarveout(ref))
                    .<Room>map(Room.Within::new).orElse(new Room.Unknown());
            case KernelCarveout.FromDeviceTree _ -> new Room.Unknown();
        };
        Optional<FirmwareName> firmware = check(e, "firmware_name", () -> FirmwareName.of(m.firmware()), FirmwareName::value);
        Optional<Remoteproc> processor = check(e, "remoteproc", () -> {
            Remoteproc p = remoteprocs.offline(m.processor());
            Entry other = started.putIfAbsent(p.id(), e);
            if (other != null) {
                throw new InvalidInput("processor-claimed-twice", p.label() + " is brought up by processor " + other.name() + " already");
            }
            return p;
        }, p -> p.label() + " is " + p.state());
        Optional<Validated> image = check(e, "validate", () -> {
            FirmwareImage opened = FirmwareImage.open(e.image());
            try {
                List<Violation> warnings = new Validator(false, false, kernel()).requireValid(opened);
                if (opened.split() && firmware.isPresent()) {
                    // the kernel names the parts after the firmware name: one too short has none
                    firmware.get().part(0);
                }
                room.require(opened.layout(), e.image());
                return new Validated(opened, warnings);
            } catch (Failure | RuntimeException x) {
                opened.close();
                throw x;
            }
        }, v -> summary(v.image(), room, v.warnings()));
        if (firmware.isPresent() && processor.isPresent() && image.isPresent()) {
            return Optional.of(new Planned.RemoteprocStart(e, image.get().image(), firmware.get(), processor.get()));
        }
        image.ifPresent(v -> v.image().close());
        return Optional.empty();
    }

    /** What an image must fit in: a carveout whose range is known, or one only the kernel knows (or whose check failed already). */
    private sealed interface Room {
        void require(LoadLayout layout, Path image) throws InvalidInput;

        /** The validate step's ", fits RANGE", or nothing. */
        String fits();

        record Within(PhysRange range) implements Room {
            @Override
            public void require(LoadLayout layout, Path image) throws InvalidInput {
                requireRoom(layout, range);
                layout.place(image.toString(), range.base().value(), range.size());
            }

            @Override
            public String fits() {
                return ", fits " + range;
            }
        }

        record Unknown() implements Room {
            @Override
            public void require(LoadLayout layout, Path image) {
                // the kernel checks it against the region it picks
            }

            @Override
            public String fits() {
                return "";
            }
        }
    }

    /** An image that passed validation, with the warnings it carries. */
    private record Validated(FirmwareImage image, List<Violation> warnings) {}

    /** The load size must fit: a relocatable image's segments may all fit where its mem_setup would not. */
    private static void requireRoom(LoadLayout layout, PhysRange range) throws InvalidInput {
        if (layout.loadSize() > range.size()) {
            throw new InvalidInput("carveout-too-small", String.format("carveout %s is 0x%x bytes, smaller than the image's load size 0x%x",
                    range, range.size(), layout.loadSize()));
        }
    }

    /** The validate step's detail; warnings by rule id, as {@code validate} names them. */
    private static String summary(FirmwareImage image, Room room, List<Violation> warnings) {
        String warned = warnings.stream().map(w -> w.rule().id() + (w.segment() == null ? "" : " (segment " + w.segment() + ")"))
                .collect(Collectors.joining(", "));
        return String.format("%s: %d segments, load size 0x%x%s%s", image.path(), image.segments().size(),
                image.layout().loadSize(), room.fits(),
                warned.isEmpty() ? "" : "; warnings: " + warned);
    }

    private void overlaps() {
        long start = System.nanoTime();
        int before = problems.size();
        for (int i = 0; i < claims.size(); i++) {
            for (int j = i + 1; j < claims.size(); j++) {
                Claim a = claims.get(i);
                Claim b = claims.get(j);
                a.range().intersection(b.range()).ifPresent(shared -> problem(b.entry(), String.format(
                        "carveout %s %s overlaps processor %s's carveout %s %s in %s",
                        b.carveout().spec(), b.range(), a.entry().name(), a.carveout().spec(), a.range(), shared)));
            }
        }
        checks.add(new ReportStep(ReportStep.PLAN, new ReportStep.WholeManifest(), "overlaps", problems.size() == before ? ReportStep.OK : ReportStep.FAILED,
                micros(start), claims.size() + " carveouts, " + (problems.size() - before) + " overlapping"));
    }

    /** Below the lowest carveout, else above one: the first 1 MiB window clear of every carveout known. */
    private PhysAddr sharedBase(List<PhysRange> claimed) {
        List<PhysRange> taken = new ArrayList<>(claimed);
        taken.addAll(tree.carveouts());
        List<PhysAddr> candidates = new ArrayList<>();
        for (PhysRange r : taken) {
            if (r.base().value() >= SHARED_WINDOW) {
                candidates.add(r.base().minus(SHARED_WINDOW));
            }
            candidates.add(r.end());
        }
        // with nothing claimed, the first window above address 0
        return candidates.stream().sorted()
                .map(c -> new PhysRange(c.alignUp(Page.SIZE), SHARED_WINDOW))
                .filter(w -> taken.stream().noneMatch(w::overlaps))
                .map(PhysRange::base).findFirst().orElse(PhysAddr.ZERO.plus(SHARED_WINDOW));
    }

    private Board board() throws Failure {
        if (tree instanceof BoardTree.Unread) {
            try {
                tree = new BoardTree.Read(Board.read(root));
            } catch (IOException | DeviceTreeException e) {
                tree = new BoardTree.Unreadable(Failure.of(e));
            }
        }
        return switch (tree) {
            case BoardTree.Read read -> read.board();
            case BoardTree.Unreadable unreadable -> throw unreadable.failure();
            case BoardTree.Unread _ -> throw new AssertionError("read above");
        };
    }

    /** reserved: lookups through the board's tree, read (once) only when a load needs one. */
    private ReservedMemory reserved() {
        return name -> board().reservedMemory().find(name);
    }

    /** Runs one check as a plan step; a failure becomes one problem line per message and an empty result. */
    private <T> Optional<T> check(Entry e, String step, Check<T> check, Function<? super T, String> detail) {
        long start = System.nanoTime();
        try {
            T value = check.run();
            checks.add(new ReportStep(ReportStep.PLAN, new ReportStep.Processor(e.name()), step, ReportStep.OK, micros(start), detail.apply(value)));
            return Optional.of(value);
        } catch (IOException | Failure failure) {
            Failure.of(failure).lines().forEach(line -> problem(e, line));
            checks.add(new ReportStep(ReportStep.PLAN, new ReportStep.Processor(e.name()), step, ReportStep.FAILED, micros(start), Failure.of(failure).line()));
            return Optional.empty();
        }
    }

    private void problem(Entry e, String message) {
        problems.add(manifest.file() + ":" + e.line() + ": processor " + e.name() + ": " + message);
    }

    static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1000;
    }
}
