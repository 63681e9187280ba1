package dev.mdtload.provision;

import dev.mdtload.failure.Failure;
import dev.mdtload.load.LoadResult;
import dev.mdtload.load.Loader;
import dev.mdtload.load.StepListener;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.provision.Manifest.Method;
import dev.mdtload.preflight.LiteFirmware;
import dev.mdtload.preflight.Preflight;
import dev.mdtload.provision.Planned.RemoteprocStart;
import dev.mdtload.provision.Planned.ScmLoad;
import dev.mdtload.provision.Report.FailedStep;
import dev.mdtload.rproc.Remoteproc;
import dev.mdtload.rproc.RemoteprocState;
import dev.mdtload.rproc.Remoteprocs;
import dev.mdtload.scm.PasClient;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SecureWorldSetup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a ready {@link Plan}, all or nothing: under the board-wide lock, through one secure world
 * for every scm entry, it starts the processors in order; at the first failure it stops those it
 * started, newest first (scm: PAS shutdown, then the carveout reopened and zeroed; remoteproc:
 * {@code stop}, when it is running), and reports which step failed and what was undone.
 */
public final class Provisioner {
    private final Plan plan;
    private final Consumer<ReportStep> progress;
    private final List<ReportStep> steps = new ArrayList<>();
    private final Map<String, String> states = new LinkedHashMap<>();
    private final List<String> rolledBack = new ArrayList<>();

    @FunctionalInterface
    private interface Action {
        /** Does the step; returns what it did, for the report. */
        String run() throws IOException, Failure;
    }

    private Provisioner(Plan plan, Consumer<ReportStep> progress) {
        this.plan = plan;
        this.progress = progress;
        plan.manifest().processors().forEach(e -> states.put(e.name(), "not_started"));
    }

    /** The report of a plan that was refused: its checks and problems; nothing ran. */
    public static Report refused(Plan plan) {
        return new Provisioner(plan, step -> { }).report(new Report.NoFailure(), plan.micros());
    }

    /**
     * Runs {@code plan}, telling {@code progress} of each run and rollback step as it ends. A
     * failure of a processor is not thrown: it is in the report, after its rollback.
     *
     * @throws IllegalArgumentException the plan has problems
     * @throws IOException              the run could not begin (another run holds the lock, the
     *                                  secure world cannot be reached) or end; nothing was started
     *                                  in the first case
     */
    public static Report run(Plan plan, Drivers drivers, Consumer<ReportStep> progress) throws IOException, Failure {
        if (!plan.ready()) {
            throw new IllegalArgumentException("a plan with problems cannot run: " + plan.problems().getFirst());
        }
        return new Provisioner(plan, progress).run(drivers);
    }

    private Report run(Drivers drivers) throws IOException, Failure {
        long begin = System.nanoTime();
        List<Remoteproc> processors = plan.items().stream()
                .flatMap(i -> i instanceof RemoteprocStart r ? Stream.of(r.processor()) : Stream.empty())
                .toList();
        Report.Ending failure;
        try (RunRoot runRoot = RunRoot.of(plan, processors);
             SecureWorld world = secureWorld(drivers)) {
            Path sysRoot = runRoot.root();
            failure = startAll(world, new Remoteprocs(sysRoot, drivers.sysfs(sysRoot)));
        }
        return report(failure, plan.micros() + Planner.micros(begin));
    }

    private SecureWorld secureWorld(Drivers drivers) throws IOException {
        if (plan.items().stream().noneMatch(i -> i instanceof ScmLoad)) {
            return new SecureWorld.Unopened();
        }
        SecureMonitor monitor = drivers.secureWorld(secureWorldSetup());
        return new SecureWorld.Opened(monitor, new Loader(monitor,
                new PasClient(monitor, plan.manifest().settings().convention()), plan.manifest().settings().host().level()));
    }

    /**
     * The shared buffers' place, the carveout of every peripheral (companions too) the plan loads
     * through the secure world, and the board's fuses from the manifest's {@code facts:}, with the
     * lite firmware its SoC leaves running.
     */
    private SecureWorldSetup secureWorldSetup() {
        return new SecureWorldSetup(plan.sharedBase(), plan.items().stream()
                .flatMap(i -> i instanceof ScmLoad s ? s.boot().peripherals().stream() : Stream.empty())
                .toList(), Preflight.policy(plan.facts()),
                LiteFirmware.running(plan.facts()));
    }

    /** Starts each planned processor in order; on the first failure, rolls back and returns it. */
    private Report.Ending startAll(SecureWorld world, Remoteprocs remoteprocs) {
        Deque<Planned> started = new ArrayDeque<>();
        for (Planned item : plan.items()) {
            try {
                switch (item) {
                    case ScmLoad s -> load(world.loader(), s);
                    case RemoteprocStart r -> start(remoteprocs, r);
                }
                started.push(item);
                states.put(name(item), item instanceof ScmLoad ? world.started() : "running");
            } catch (IOException | Failure e) {
                FailedStep failure = new FailedStep(name(item), failedStep(item, e), Failure.of(e).line(), e);
                states.put(name(item), "failed");
                if (item instanceof RemoteprocStart r) {
                    stopIfRunning(remoteprocs, r);
                }
                while (!started.isEmpty()) {
                    rollBack(world, remoteprocs, started.pop());
                }
                return failure;
            }
        }
        return new Report.NoFailure();
    }

    /** The loader's boot: lite shutdowns, the DTB companion, the main image. */
    private void load(Loader loader, ScmLoad s) throws IOException, Failure {
        loader.boot(s.boot(), new Recorder(s, ReportStep.RUN));
    }

    /**
     * Records the loader's steps of {@code s} as they end; after a failure, the loader's own undo
     * (wipe, shutdown, the companion's stop) is rollback.
     */
    private final class Recorder implements StepListener {
        private final ScmLoad s;
        private String phase;

        Recorder(ScmLoad s, String phase) {
            this.s = s;
            this.phase = phase;
        }

        @Override
        public void finished(LoadResult.Step step) {
            record(phase, s, step.name(), ReportStep.OK, step.micros(), step.detail());
        }

        @Override
        public void failed(String name, long micros, Exception failure) {
            record(phase, s, name, ReportStep.FAILED, micros, Failure.of(failure).line());
            phase = ReportStep.ROLLBACK;
        }
    }

    private void start(Remoteprocs remoteprocs, RemoteprocStart r) throws IOException, Failure {
        timed(ReportStep.RUN, r, "stage", () -> {
            List<Path> staged = remoteprocs.stage(r.image(), r.firmware());
            return r.firmware() + ": " + staged.size() + " file(s) into " + staged.getLast().getParent();
        });
        timed(ReportStep.RUN, r, "boot", () -> {
            Remoteproc p = remoteprocs.boot(r.processor().id(), r.firmware(), Remoteprocs.DEFAULT_TIMEOUT);
            return p.label() + " is " + p.state();
        });
    }

    /** The step the failure happened in: the last one recorded as failed, or the preparation before the first. */
    private String failedStep(Planned item, Exception failure) {
        for (ReportStep step : steps.reversed()) {
            if (step.phase().equals(ReportStep.RUN) && step.processor().equals(new ReportStep.Processor(name(item))) && step.failed()) {
                return step.step();
            }
        }
        record(ReportStep.RUN, item, "prepare", ReportStep.FAILED, 0, Failure.of(failure).line());
        return "prepare";
    }

    private void rollBack(SecureWorld world, Remoteprocs remoteprocs, Planned item) {
        boolean stopped = switch (item) {
            case ScmLoad s -> world.loader().stop(s.boot(), new Recorder(s, ReportStep.ROLLBACK));
            case RemoteprocStart r -> stopIfRunning(remoteprocs, r);
        };
        states.put(name(item), stopped ? "stopped" : "stop_failed");
        if (stopped) {
            rolledBack.add(name(item));
        }
    }

    /** Writes {@code stop} only to a processor that runs: the kernel refuses it for any other state. */
    private boolean stopIfRunning(Remoteprocs remoteprocs, RemoteprocStart r) {
        long start = System.nanoTime();
        try {
            Remoteproc now = remoteprocs.get(r.processor().id());
            if (now.state() != RemoteprocState.RUNNING) {
                record(ReportStep.ROLLBACK, r, "stop", ReportStep.SKIPPED, Planner.micros(start),
                        now.label() + " is " + now.state() + ": nothing to stop");
                return true;
            }
            Remoteproc after = remoteprocs.stop(now.id());
            record(ReportStep.ROLLBACK, r, "stop", ReportStep.OK, Planner.micros(start), after.label() + " is " + after.state());
            return true;
        } catch (IOException | Failure e) {
            record(ReportStep.ROLLBACK, r, "stop", ReportStep.FAILED, Planner.micros(start), Failure.of(e).line());
            return false;
        }
    }

    private void timed(String phase, Planned item, String name, Action action) throws IOException, Failure {
        long start = System.nanoTime();
        try {
            String detail = action.run();
            record(phase, item, name, ReportStep.OK, Planner.micros(start), detail);
        } catch (IOException | Failure | RuntimeException e) {
            record(phase, item, name, ReportStep.FAILED, Planner.micros(start), Failure.of(e).line());
            throw e;
        }
    }

    private void record(String phase, Planned item, String name, String result, long micros, String detail) {
        ReportStep step = new ReportStep(phase, new ReportStep.Processor(name(item)), name, result, micros, detail);
        steps.add(step);
        progress.accept(step);
    }

    private static String name(Planned item) {
        return item.entry().name();
    }

    private Report report(Report.Ending failure, long micros) {
        List<Report.ProcessorState> processors = plan.manifest().processors().stream()
                .map(e -> new Report.ProcessorState(e.name(), method(e), e.order(), states.get(e.name()))).toList();
        List<ReportStep> all = new ArrayList<>(plan.checks());
        all.addAll(steps);
        return new Report(plan.manifest().file().toString(), plan.root().toString(), plan.dryRun(), processors, all,
                plan.problems(), failure, rolledBack, micros);
    }

    private static String method(Entry e) {
        return switch (e.method()) {
            case Method.Scm ignored -> "scm";
            case Method.Remoteproc ignored -> "remoteproc";
        };
    }
}
