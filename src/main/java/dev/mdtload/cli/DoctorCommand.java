package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mdtload.board.Board;
import dev.mdtload.board.Carveout;
import dev.mdtload.doctor.Doctor;
import dev.mdtload.doctor.Finding;
import dev.mdtload.doctor.ImageCheck;
import dev.mdtload.doctor.ProcessorReport;
import dev.mdtload.doctor.SearchPath;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;
import dev.mdtload.kernel.TargetKernel;
import dev.mdtload.kernel.RunningKernel;
import dev.mdtload.signature.SignatureReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

@Command(name = "doctor",
        header = "Say why a board's remote processors would not start: firmware, verdicts, carveouts.",
        description = {
                "For every remote processor in the device tree (the live tree under ROOT, or a .dtb with --dtb): the "
                        + "firmware it requests (and a PAS processor's DTB companion), where the kernel's search path "
                        + "finds it (firmware_class.path, lib/firmware/updates/RELEASE, lib/firmware/updates, "
                        + "lib/firmware/RELEASE, lib/firmware, RELEASE from ROOT/proc/sys/kernel/osrelease), its "
                        + "verdict under the board's kernel, its signature's root, whether it fits its carveout, "
                        + "and carveout overlaps.",
                "Prints each processor on stdout and one line per finding on stderr, ending in its rule id "
                        + "(README.md, \"Doctor\"; image rules: docs/rules.md). Exit 1 when any processor would "
                        + "fail, 0 when every enabled one would start.",
                "Example: mdtload doctor --root firmware-samples/board/root"})
final class DoctorCommand extends RootedCommand {
    @Option(names = "--dtb", paramLabel = "FILE", description = "Read this flattened device tree instead of the live tree.")
    Path dtb;

    @Option(names = "--firmware-path", paramLabel = "DIR",
            description = "Search these directories, in order, instead of the board's search path (repeatable).")
    List<Path> firmwarePath;

    @Mixin
    KernelOption kernel;

    @Override
    public Integer call() throws IOException, Failure {
        Path rootDir = root.root;
        Board board = dtb != null ? Board.readDtb(dtb) : Board.read(rootDir);
        SearchPath search = firmwarePath != null ? new SearchPath(firmwarePath, "") : SearchPath.of(rootDir);
        // the board's kernel unless told: its own release under ROOT, as provision does
        TargetKernel rules = kernel.kernel == null ? RunningKernel.defaultRules(rootDir) : kernel.rules();
        List<ProcessorReport> reports = new Doctor(board, search, new Validator(false, false, rules)).examine();
        PrintWriter out = out();
        boolean healthy = reports.stream().allMatch(ProcessorReport::healthy);
        if (common.json) {
            List<Finding> findings = reports.stream().flatMap(r -> r.findings().stream()).toList();
            out.println(Json.envelope(spec, healthy ? ExitCode.OK : ExitCode.INVALID, json(board, search, rules, reports),
                    problems(findings, true), problems(findings, false)));
        } else {
            print(out, board, search, rules, reports);
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        for (ProcessorReport r : reports) {
            for (Finding f : r.findings()) {
                err.println("mdtload: " + (f.isError() ? "" : "warning: ") + f.line());
            }
        }
        err.flush();
        return healthy ? ExitCode.OK : ExitCode.INVALID;
    }

    /** The envelope's errors or warnings: each finding with its rule, its processor named as the text names it. */
    private static List<Json.Problem> problems(List<Finding> findings, boolean errors) {
        return findings.stream().filter(f -> f.isError() == errors)
                .map(f -> new Json.Problem(f.rule(), errors ? "error" : "warning", null, null,
                        f.processor() + ": " + f.message(), null))
                .toList();
    }

    private static void print(PrintWriter out, Board board, SearchPath search, TargetKernel rules,
                              List<ProcessorReport> reports) {
        out.printf("%s: kernel %s, release %s, search path %s%n", board.source(), rules,
                search.release().isEmpty() ? "unknown" : search.release(), search.directories());
        int healthy = 0;
        int disabled = 0;
        for (ProcessorReport r : reports) {
            String compatible = r.processor().compatible().isEmpty() ? "" : " (" + r.processor().compatible().getFirst() + ")";
            if (!r.processor().enabled()) {
                disabled++;
                out.printf("%s%s: disabled, not examined%n", r.processor().name(), compatible);
                continue;
            }
            healthy += r.healthy() ? 1 : 0;
            long errors = r.findings().stream().filter(Finding::isError).count();
            out.printf("%s%s: %s%n", r.processor().name(), compatible,
                    r.healthy() ? "would start" : "would fail (" + errors + " error" + (errors == 1 ? "" : "s") + ")");
            for (ImageCheck image : r.images()) {
                out.println("  " + describe(image));
            }
            for (Carveout c : r.carveouts()) {
                out.printf("  carveout %s [%s, %s)%n", c.name(), Numbers.hex(c.base().value()), Numbers.hex(c.end().value()));
            }
        }
        int enabled = reports.size() - disabled;
        out.printf("%d processor%s: %d would start, %d would fail%s%n", reports.size(), reports.size() == 1 ? "" : "s",
                healthy, enabled - healthy, disabled == 0 ? "" : ", " + disabled + " disabled");
    }

    private static String describe(ImageCheck image) {
        String head = image.role().label() + " " + image.name() + ": ";
        return switch (image) {
            case ImageCheck.Missing m -> head + "missing";
            case ImageCheck.Found f -> head + f.path() + ", " + verdict(f.report()) + ", " + signature(f.signature());
        };
    }

    private static String verdict(ImageReport r) {
        if (!r.valid()) {
            return "invalid (" + r.errors().getFirst().rule().id() + ")";
        }
        return String.format("valid, %s, load size %s%s", r.relocatable() ? "relocatable"
                : "fixed at " + Numbers.hex(r.minAddress()), Numbers.hex(r.loadSize()), ValidateCommand.warnings(r.warnings()));
    }

    private static String signature(SignatureReport s) {
        return "signature " + s.status().id() + s.chainRoot().map(r -> ", " + r.kind().id() + " root \"" + r.label() + "\"").orElse("");
    }

    /** The JSON form, built in one place: the board, the kernel judged for, and each processor with its findings. */
    private static View json(Board board, SearchPath search, TargetKernel rules, List<ProcessorReport> reports) {
        return new View(board.source(), rules.toString(), search.release(),
                search.directories().stream().map(Path::toString).toList(),
                reports.stream().allMatch(ProcessorReport::healthy),
                reports.stream().map(r -> new ProcessorView(r.processor().name(), r.processor().path(),
                        r.processor().compatible(), r.processor().enabled(), r.healthy(),
                        r.images().stream().map(DoctorCommand::imageView).toList(),
                        r.carveouts().stream().map(c -> new CarveoutView(c.name(), c.base().value(), c.size())).toList(),
                        r.findings().stream().map(f -> new FindingView(f.rule(), f.severity().id(), f.message())).toList()))
                        .toList());
    }

    private static ImageView imageView(ImageCheck image) {
        return switch (image) {
            case ImageCheck.Missing m -> new ImageView(m.name(), m.role().label(), null, null, null, null, null, null, null);
            case ImageCheck.Found f -> new ImageView(f.name(), f.role().label(), f.path().toString(), f.report().valid(),
                    f.report().loadSize(), f.report().relocatable(), f.report().minAddress(), f.signature().status().id(),
                    f.signature().chainRoot().orElse(null));
        };
    }

    record View(String source, String kernel, String release, List<String> searchPath, boolean healthy,
                List<ProcessorView> processors) {}

    record ProcessorView(String name, String path, List<String> compatible, boolean enabled, boolean healthy,
                         List<ImageView> images, List<CarveoutView> carveouts, List<FindingView> findings) {}

    /** One requested image; only {@code name} and {@code role} when it is missing. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ImageView(String name, String role, String path, Boolean valid, Long loadSize, Boolean relocatable,
                     Long minAddress, String signature, SignatureReport.Root root) {}

    record CarveoutView(String name, long base, long size) {}

    record FindingView(String rule, String severity, String message) {}
}
