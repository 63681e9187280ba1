package dev.mdtload.provision;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.InvalidInput;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.board.Board;
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
import dev.mdtload.load.LoadPlan;
import dev.mdtload.load.LoadRequest;
import dev.mdtload.load.Loader;
import dev.mdtload.load.Target;
import dev.mdtload.preflight.LiteFirmware;
import dev.mdtload.provision.Manifest.CarveoutRef;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.provision.Manifest.Method;
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
    private final Remoteprocs remoteprocs;
    private final List<String> problems = new ArrayList<>();
    private final List<ReportStep> checks = new ArrayList<>();
    private Board board;
    private Failure boardFailure;

    /** An entry's carveout, once resolved: the overlap check compares every pair. */
    private record Claim(Entry entry, CarveoutRef carveout, Range range) {}

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
        // only read here, whatever the run will drive: the files are the same
        this.remoteprocs = new Remoteprocs(root, new FileSysfs(root));
    }

    Plan plan() {
        long begin = System.nanoTime();
        List<Planned> items = new ArrayList<>();
        List<Claim> claims = new ArrayList<>();
        Map<String, Entry> started = new HashMap<>();
        try {
            for (Entry e : manifest.processors()) {
                Optional<Range> range = e.carveout().flatMap(c -> check(e, "carveout", () -> resolve(e, c), Range::toString));
                range.ifPresent(r -> claims.add(new Claim(e, e.carveout().orElseThrow(), r)));
                Optional<Manifest.Companion> companion = e.method() instanceof Method.Scm scm ? scm.companion() : Optional.empty();
                Optional<Range> companionRange = companion.flatMap(c ->
                        check(e, "companion_carveout", () -> resolve(e, c.carveout()), Range::toString));
                companionRange.ifPresent(r -> claims.add(new Claim(e, companion.orElseThrow().carveout(), r)));
                Optional<Planned> planned = switch (e.method()) {
                    case Method.Scm scm -> scm(e, scm, range, companionRange);
                    case Method.Remoteproc rproc -> remoteproc(e, rproc, range, started);
                };
                planned.ifPresent(items::add);
            }
            overlaps(claims);
        } catch (RuntimeException | Error e) {
            items.forEach(Planned::close);
            throw e;
        }
        if (!problems.isEmpty()) {
            items.forEach(Planned::close);
            items.clear();
        }
        return new Plan(manifest, root, dryRun, items, problems, checks,
                sharedBase(claims.stream().map(Claim::range).toList()), micros(begin));
    }

    /** The carveout's physical range; for scm, also everything opening it will check, and the call width. */
    private Range resolve(Entry e, CarveoutRef carveout) throws IOException, Failure {
        Range range = switch (carveout) {
            case CarveoutRef.Reserved r -> {
                ReservedMemory.Region region = board().reservedMemory().find(r.spec().name())
                        .orElseThrow(() -> r.spec().noSuchRegion());
                yield new Range(region.base(), region.size());
            }
            case CarveoutRef.Explicit x -> new Range(x.phys(), x.size());
        };
        // the kernel fills a remoteproc's carveout, and a dry run loads into anonymous memory:
        // only a real scm load opens the spec itself
        boolean opened = e.method() instanceof Method.Scm && !dryRun;
        Carveouts.check(opened ? carveout.spec() : new CarveoutSpec.Memfd(), request(range));
        if (e.method() instanceof Method.Scm) {
            manifest.settings().convention().width().require(range.base(), range.size(),
                    "carveout " + carveout.spec() + " (" + manifest.settings().convention().id() + " convention)");
        }
        return range;
    }

    private Carveouts.Request request(Range range) {
        return new Carveouts.Request(new Carveouts.Base.Given(range.base()), range.size(), root, reserved());
    }

    /** The main image's load and, when the entry has one, its DTB companion's: both planned, or neither. */
    private Optional<Planned> scm(Entry e, Method.Scm scm, Optional<Range> range, Optional<Range> companionRange) {
        if (range.isEmpty()) {
            return Optional.empty();
        }
        Optional<LoadPlan> main = load(e, "validate", e.image(), e.carveout().orElseThrow(), range.get(), scm.pasId());
        Optional<LoadPlan> companion = scm.companion().flatMap(c -> companionRange.flatMap(r ->
                load(e, "companion_validate", c.image(), c.carveout(), r, c.pasId())));
        if (main.isEmpty() || companion.isEmpty() != scm.companion().isEmpty()) {
            main.ifPresent(LoadPlan::close);
            companion.ifPresent(LoadPlan::close);
            return Optional.empty();
        }
        return Optional.of(new Planned.ScmLoad(e, main.get(), companion,
                LiteFirmware.shutdowns(manifest.settings().facts(), scm.pasId())));
    }

    private Optional<LoadPlan> load(Entry e, String step, Path image, CarveoutRef carveout, Range r, int pasId) {
        CarveoutSpec spec = dryRun ? new CarveoutSpec.Memfd() : carveout.spec();
        LoadRequest request = new LoadRequest(image, spec, new Target.Phys(r.base()), r.size(),
                pasId, IommuMap.empty(), root, reserved());
        return check(e, step, () -> {
            LoadPlan load = Loader.plan(request, new Validator(false, false, kernel()));
            try {
                requireRoom(load.image().layout(), r);
            } catch (InvalidInput | RuntimeException x) {
                load.close();
                throw x;
            }
            return load;
        }, load -> summary(load.image(), Optional.of(r), load.warnings()));
    }

    private Optional<Planned> remoteproc(Entry e, Method.Remoteproc m, Optional<Range> range, Map<String, Entry> started) {
        Optional<FirmwareName> firmware = check(e, "firmware_name",
                () -> FirmwareName.of(m.firmware().orElse(e.image().getFileName().toString())), FirmwareName::value);
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
                if (range.isPresent()) {
                    requireRoom(opened.layout(), range.get());
                    opened.layout().place(e.image().toString(), range.get().base().value(), range.get().size());
                }
                return new Validated(opened, warnings);
            } catch (Failure | RuntimeException x) {
                opened.close();
                throw x;
            }
        }, v -> summary(v.image(), range, v.warnings()));
        if (firmware.isPresent() && processor.isPresent() && image.isPresent()) {
            return Optional.of(new Planned.RemoteprocStart(e, image.get().image(), firmware.get(), processor.get()));
        }
        image.ifPresent(v -> v.image().close());
        return Optional.empty();
    }

    /** An image that passed validation, with the warnings it carries. */
    private record Validated(FirmwareImage image, List<Violation> warnings) {}

    /** The load size must fit: a relocatable image's segments may all fit where its mem_setup would not. */
    private static void requireRoom(LoadLayout layout, Range range) throws InvalidInput {
        if (layout.loadSize() > range.size()) {
            throw new InvalidInput("carveout-too-small", String.format("carveout %s is 0x%x bytes, smaller than the image's load size 0x%x",
                    range, range.size(), layout.loadSize()));
        }
    }

    /** The validate step's detail; warnings by rule id, as {@code validate} names them. */
    private static String summary(FirmwareImage image, Optional<Range> range, List<Violation> warnings) {
        String warned = warnings.stream().map(w -> w.rule().id() + (w.segment() == null ? "" : " (segment " + w.segment() + ")"))
                .collect(Collectors.joining(", "));
        return String.format("%s: %d segments, load size 0x%x%s%s", image.path(), image.segments().size(),
                image.layout().loadSize(), range.map(r -> ", fits " + r).orElse(""),
                warned.isEmpty() ? "" : "; warnings: " + warned);
    }

    private void overlaps(List<Claim> claims) {
        long start = System.nanoTime();
        int before = problems.size();
        for (int i = 0; i < claims.size(); i++) {
            for (int j = i + 1; j < claims.size(); j++) {
                Claim a = claims.get(i);
                Claim b = claims.get(j);
                a.range().overlap(b.range()).ifPresent(shared -> problem(b.entry(), String.format(
                        "carveout %s %s overlaps processor %s's carveout %s %s in %s",
                        b.carveout().spec(), b.range(), a.entry().name(), a.carveout().spec(), a.range(), shared)));
            }
        }
        checks.add(new ReportStep(ReportStep.PLAN, null, "overlaps", problems.size() == before ? ReportStep.OK : ReportStep.FAILED,
                micros(start), claims.size() + " carveouts, " + (problems.size() - before) + " overlapping"));
    }

    /** Below the lowest carveout, else above one: the first 1 MiB window clear of every carveout known. */
    private PhysAddr sharedBase(List<Range> claimed) {
        List<Range> taken = new ArrayList<>(claimed);
        if (board != null) {
            board.carveouts().forEach(c -> taken.add(new Range(c.base(), c.size())));
        }
        List<PhysAddr> candidates = new ArrayList<>();
        for (Range r : taken) {
            if (r.base().value() >= SHARED_WINDOW) {
                candidates.add(r.base().minus(SHARED_WINDOW));
            }
            candidates.add(r.end());
        }
        // with nothing claimed, the first window above address 0
        return candidates.stream().sorted()
                .map(c -> new Range(c.alignUp(Page.SIZE), SHARED_WINDOW))
                .filter(w -> taken.stream().allMatch(t -> w.overlap(t).isEmpty()))
                .map(Range::base).findFirst().orElse(PhysAddr.ZERO.plus(SHARED_WINDOW));
    }

    private Board board() throws Failure {
        if (board == null && boardFailure == null) {
            try {
                board = Board.read(root);
            } catch (IOException | DeviceTreeException e) {
                boardFailure = Failure.of(e);
            }
        }
        if (boardFailure != null) {
            throw boardFailure;
        }
        return board;
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
            checks.add(new ReportStep(ReportStep.PLAN, e.name(), step, ReportStep.OK, micros(start), detail.apply(value)));
            return Optional.of(value);
        } catch (IOException | Failure failure) {
            Failure.of(failure).lines().forEach(line -> problem(e, line));
            checks.add(new ReportStep(ReportStep.PLAN, e.name(), step, ReportStep.FAILED, micros(start), Failure.of(failure).line()));
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
