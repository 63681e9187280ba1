package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.preflight.BoardFacts;
import dev.mdtload.preflight.BoardFacts.Fact;
import dev.mdtload.preflight.FactsFile;
import dev.mdtload.preflight.Finding;
import dev.mdtload.preflight.Preflight;
import dev.mdtload.preflight.PreflightReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "preflight",
        header = "Run the secure world's checks on an image offline, against a board's fuses.",
        description = {
                "Checks what a Qualcomm secure world checks before it authenticates an image for a PAS id: the root "
                        + "certificate's SHA-256 against the fused OEM public-key hash, the SW_ID the PAS id expects, "
                        + "the OEM_ID, MODEL_ID and HW_ID, the anti-rollback version, and that the image is neither "
                        + "encrypted nor countersigned. Each failed check is named: "
                        + "oem-id-mismatch: image OEM_ID 0x0, board 0x1234. A check whose board fact is not given is skipped.",
                "The facts come from --facts FILE (YAML or JSON: root_sha256, oem_id, model_id, hw_id, rollback) and "
                        + "the options, which override the file. Exit 1 when a check fails.",
                "Example: mdtload preflight /lib/firmware/qcom/sm8250/adsp.mbn --pas-id 1 --oem-id 0x0 --root-sha256 f8ab2052..."})
final class PreflightCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "IMAGE", description = "The image (.mdt or .mbn).")
    Path image;

    @Option(names = "--pas-id", required = true, paramLabel = "N", converter = Converters.Int.class,
            description = "The PAS id the image is to be loaded as (e.g. 1 for the ADSP).")
    int pasId;

    @Option(names = "--facts", paramLabel = "FILE", description = "Board facts: YAML, or JSON for a .json file.")
    Path factsFile;

    @Option(names = "--root-sha256", paramLabel = "HEX", description = "SHA-256 of the OEM root certificate the board's fuses hold.")
    String rootSha256;

    @Option(names = "--oem-id", paramLabel = "N", converter = Converters.Size.class, description = "The board's OEM_ID fuse.")
    Long oemId;

    @Option(names = "--model-id", paramLabel = "N", converter = Converters.Size.class, description = "The board's MODEL_ID fuse.")
    Long modelId;

    @Option(names = "--hw-id", paramLabel = "N", converter = Converters.Size.class, description = "The board's HW_ID.")
    Long hwId;

    @Option(names = "--rollback", paramLabel = "N", converter = Converters.Size.class,
            description = "The lowest anti-rollback version the board accepts.")
    Long rollback;

    @Override
    public Integer call() throws IOException, Failure {
        PreflightReport report = Preflight.check(image, pasId, facts());
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            List<Json.Problem> failed = report.failures().stream()
                    .map(f -> new Json.Problem(f.check(), "error", report.image().toString(), null, f.detail(), null)).toList();
            out.println(Json.envelope(spec, report.passed() ? ExitCode.OK : ExitCode.INVALID,
                    new View(report.image(), report.pasId(), report.passed() ? "pass" : "fail", report.findings()), failed,
                    List.of()));
        } else {
            long failed = report.failures().size();
            long skipped = report.findings().stream().filter(f -> f.verdict() == Finding.Verdict.SKIPPED).count();
            out.printf("%s: pas id %d: %d passed, %d failed, %d skipped%n", report.image(), report.pasId(),
                    report.findings().size() - failed - skipped, failed, skipped);
            report.findings().forEach(f -> out.printf("  %-8s %s%n", f.verdict().id(), f.line()));
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        report.failures().forEach(f -> err.println("mdtload: " + report.image() + ": " + f.line()));
        err.flush();
        return report.passed() ? ExitCode.OK : ExitCode.INVALID;
    }

    /** {@code preflight --json}: one object per image. */
    record View(String image, long pasId, String result, List<Finding> findings) {}

    /** The file's facts, each overridden by the option of the same fact. */
    private BoardFacts facts() throws IOException, UsageFailure {
        try {
            BoardFacts file = factsFile == null ? BoardFacts.NONE : FactsFile.read(factsFile);
            List<Fact> given = new ArrayList<>();
            if (rootSha256 != null) {
                given.add(new Fact.Root(rootSha256));
            }
            if (oemId != null) {
                given.add(new Fact.OemId(oemId));
            }
            if (modelId != null) {
                given.add(new Fact.ModelId(modelId));
            }
            if (hwId != null) {
                given.add(new Fact.HwId(hwId));
            }
            if (rollback != null) {
                given.add(new Fact.Rollback(rollback));
            }
            return file.with(new BoardFacts(given));
        } catch (IllegalArgumentException e) {
            throw new UsageFailure(e.getMessage());
        }
    }
}
