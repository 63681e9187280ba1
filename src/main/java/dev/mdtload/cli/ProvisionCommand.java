package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.mdtload.files.AtomicFile;
import dev.mdtload.provision.Drivers;
import dev.mdtload.provision.Manifest;
import dev.mdtload.provision.ManifestReader;
import dev.mdtload.provision.Plan;
import dev.mdtload.provision.Provisioner;
import dev.mdtload.provision.Report;
import dev.mdtload.provision.ReportStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "provision",
        header = "Bring up every remote processor of a board from a manifest, all or nothing.",
        description = {
                "First every check, before anything is touched: each image (digests included), each carveout "
                        + "(found in the device tree, present, big enough, overlapping no other entry's), each "
                        + "firmware name and remote processor. Any problem: exit 1 (2 for a manifest that cannot be "
                        + "read), every problem on its own line, nothing written.",
                "Then, holding ROOT/run/lock/mdtload-provision.lock, the processors start in order; at the first "
                        + "failure those already started are stopped again, newest first, and their carveouts "
                        + "zeroed: exit 4 when the secure world or a remote processor refused.",
                "--dry-run does the same against anonymous memory, recorded secure-world calls and a simulated "
                        + "copy of the remoteproc sysfs: nothing under ROOT changes.",
                "Example: mdtload provision firmware-samples/board/manifest.yaml --root target/demo-board/root"})
final class ProvisionCommand extends RootedCommand {
    @Parameters(paramLabel = "MANIFEST", description = "The manifest (.yaml, .yml or .json); see README.md for its schema.")
    Path manifest;

    @Option(names = "--dry-run", description = "Check and rehearse the whole run without touching the board.")
    boolean dryRun;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the JSON report to FILE (atomically).")
    Path reportFile;

    @Option(names = "--record", paramLabel = "FILE",
            description = "With scm: record (or --dry-run): write the secure-world calls to FILE as JSON lines.")
    Path recordFile;

    @Mixin
    KernelOption kernel;

    /** The report: what the exit code means for this run, then everything the run recorded. */
    record View(String outcome, @JsonIgnore int exitCode, @JsonUnwrapped Report report) {}

    @Override
    public Integer call() throws IOException, Failure {
        if (Output.STDOUT.equals(String.valueOf(reportFile)) || Output.STDOUT.equals(String.valueOf(recordFile))) {
            // stdout holds the report already (as JSON with --json); two documents there would mix
            throw new UsageFailure("--report - and --record -: stdout has the report; use --json for it as JSON, "
                    + "and a file for the other");
        }
        // outputs are written after the run: a directory that is not there must stop it before it starts
        for (Path output : new Path[] {reportFile, recordFile}) {
            Path parent = output == null ? null : output.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new NoSuchFileException(parent.toString(), null, "no such directory for " + output);
            }
        }
        Manifest m = ManifestReader.read(manifest);
        List<Path> inputs = new ArrayList<>(List.of(manifest));
        for (Manifest.Entry e : m.processors()) {
            for (Path image : e.images()) {
                inputs.addAll(Output.imageFiles(image));
            }
        }
        for (Path output : new Path[] {reportFile, recordFile}) {
            if (output != null) {
                Output.requireNotInput(output, inputs);
            }
        }
        m = kernel.version().map(m::withKernel).orElse(m);
        if (recordFile != null && !dryRun && m.settings().scm() != Manifest.ScmBackend.RECORD) {
            // an empty record would pass for a run that made no secure-world calls
            throw new UsageFailure("--record " + recordFile + " needs scm: record in the manifest or --dry-run: "
                    + "with scm: " + m.settings().scm().toString().toLowerCase(java.util.Locale.ROOT) + " no calls are recorded");
        }
        StringWriter record = new StringWriter();
        Report report;
        try (Plan plan = Plan.of(m, root.root, dryRun)) {
            Verbosity.socFromTree(spec, m.settings().facts(), plan.facts(), root.root);
            if (!plan.ready()) {
                report = Provisioner.refused(plan);
            } else {
                boolean quiet = Verbosity.of(spec) == Verbosity.QUIET;
                try (ProvisionProgress progress = ProvisionProgress.of(common.json || quiet, plan.runSteps())) {
                    report = Provisioner.run(plan, Drivers.of(m.settings(), dryRun, record), progress);
                }
            }
        }
        int exit = report.refused() ? ExitCode.INVALID
                : report.failed().map(f -> Failure.of(f.cause()).kind().exitCode()).orElse(ExitCode.OK);
        View view = new View(result(exit, report), exit, report);
        String json = json(view);
        out().println(common.json ? json : text(view));
        out().flush();
        if (recordFile != null) {
            AtomicFile.write(recordFile, true, record.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (reportFile != null) {
            AtomicFile.write(reportFile, true, (json + "\n").getBytes(StandardCharsets.UTF_8));
        }
        PrintWriter err = spec.commandLine().getErr();
        report.problems().forEach(p -> err.println("mdtload: " + p));
        report.failed().ifPresent(f -> err.printf("mdtload: processor %s: %s failed: %s%s%n", f.processor(), f.step(),
                f.message(), report.rolledBack().isEmpty() ? "" : "; stopped again: " + String.join(", ", report.rolledBack())));
        err.flush();
        return exit;
    }

    /** The envelope: every plan problem, then the step that failed, as errors; the report as the result. */
    private String json(View view) {
        Report r = view.report();
        List<Json.Problem> errors = new java.util.ArrayList<>(r.problems().stream()
                .map(p -> new Json.Problem("provision-plan", r.manifest(), p)).toList());
        r.failed().ifPresent(f -> errors.add(new Json.Problem(Failure.of(f.cause()).ruleId(), r.manifest(),
                "processor " + f.processor() + ": " + f.step() + " failed: " + f.message())));
        return Json.envelope(spec, view.exitCode(), view, errors, List.of());
    }

    private static String result(int exit, Report report) {
        if (exit == ExitCode.OK) {
            // a recording secure world answers every call: the run went through, but authenticated nothing
            return recorded(report).isEmpty() ? "ok" : "recorded";
        }
        if (exit == ExitCode.INVALID) {
            return "refused before anything was written";
        }
        return exit == ExitCode.REFUSED ? "refused by the secure world or a remote processor; rolled back" : "failed; rolled back";
    }

    /** The processors whose secure-world calls were only recorded. */
    private static List<String> recorded(Report report) {
        return report.processors().stream().filter(p -> p.state().equals("recorded")).map(Report.ProcessorState::name).toList();
    }

    private static String text(View view) {
        Report r = view.report();
        StringBuilder b = new StringBuilder();
        b.append(String.format("provision %s (root %s%s)%n", r.manifest(), r.root(), r.dryRun() ? ", dry run" : ""));
        for (ReportStep s : r.steps()) {
            b.append(String.format("  %-8s %-12s %-15s %-7s %9.3f ms  %s%n", s.phase(), s.processor().label(),
                    s.step(), s.result(), s.micros() / 1000.0, s.detail() == null ? "" : s.detail()));
        }
        for (Report.ProcessorState p : r.processors()) {
            b.append(String.format("  %-12s %-10s %s%n", p.name(), p.method(), p.state()));
        }
        List<String> recorded = recorded(r);
        if (!recorded.isEmpty()) {
            b.append(String.format("  secure-world calls for %s recorded, not made: nothing was authenticated or started%n",
                    String.join(", ", recorded)));
        }
        b.append(String.format("result: %s (exit %d, %.1f ms)", view.outcome(), view.exitCode(), r.micros() / 1000.0));
        return b.toString();
    }
}
