package dev.mdtload.cli;

import dev.mdtload.failure.EnvironmentFailure;
import dev.mdtload.failure.Failure;
import dev.mdtload.failure.Kind;
import dev.mdtload.failure.UsageFailure;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.mdtload.check.Violation;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;
import dev.mdtload.kernel.TargetKernel;
import dev.mdtload.parallel.BiggestFirst;
import dev.mdtload.signature.SignatureReport;
import dev.mdtload.signature.Signatures;
import dev.mdtload.signature.RootRequirement;
import dev.mdtload.signature.TrustAnchor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "validate",
        header = "Check images: structure, the kernel's load rules, and every segment's digest.",
        description = {
                "Directories are searched recursively for .mdt and .mbn files.",
                "Prints one verdict line per image and a summary; exit 1 if any image is invalid. Warnings (rule ids "
                        + "listed, docs/rules.md) leave an image valid; --strict counts them as errors.",
                "--signatures also verifies the certificate chain and the image signature (docs/signatures.md) and "
                        + "names the root (a known test or production root, or unknown); --root-cert or --root-sha256 "
                        + "(the SHA-256 an OEM public-key-hash fuse holds) pins the root and implies --signatures. "
                        + "--allow-unsigned accepts an image without a signature there too, reported as unsigned.",
                "--kernel VERSION judges by that kernel's loader rules (default: the running kernel on a Qualcomm "
                        + "board, else the newest the model knows); --kernel all prints the verdict per version range.",
                "Example: mdtload validate --json /lib/firmware/qcom"})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    UnsignedOption unsigned;

    @Mixin
    StrictOption strict;

    @Mixin
    KernelOption kernel;

    @Option(names = "--signatures", description = "Verify the certificate chain and the image signature too.")
    boolean signatures;

    @ArgGroup(exclusive = true)
    Anchor anchor;

    /** The root the chain must end in, as a certificate or as its SHA-256. */
    static final class Anchor {
        @Option(names = "--root-cert", paramLabel = "FILE", description = "Root certificate (PEM or DER) the chain must end in.")
        Path rootCert;

        @Option(names = "--root-sha256", paramLabel = "HEX", description = "SHA-256 of the root certificate's DER.")
        String rootSha256;

        TrustAnchor resolve() throws IOException, UsageFailure {
            try {
                return rootCert != null ? TrustAnchor.ofCertificateFile(rootCert) : TrustAnchor.ofHex(rootSha256);
            } catch (IllegalArgumentException e) {
                throw new UsageFailure(e.getMessage());
            }
        }
    }

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Images (.mdt, .mbn) or directories.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException, UsageFailure {
        ImageFinder.Found found = ImageFinder.find(paths);
        // a path that names nothing gets its verdict too, and stops no other image's
        int worst = ExitCode.OK;
        for (UsageFailure missing : found.missing()) {
            worst = Math.max(worst, report(missing));
        }
        if (kernel.all()) {
            return Math.max(worst, perKernel(found.images()));
        }
        TargetKernel rules = kernel.rules();
        List<Path> images = found.images();
        Validator validator = new Validator(unsigned.allowUnsigned, strict.strict, rules);
        RootRequirement root = anchor == null ? RootRequirement.ANY : anchor.resolve();
        boolean checkSignatures = signatures || anchor != null;
        // images on every core, biggest first, each hashing its segments the same way on the same pool
        List<Outcome> outcomes = BiggestFirst.map(images, ImageFinder::bytesOnDisk,
                p -> Outcome.of(validator, p, checkSignatures, root, unsigned.allowUnsigned));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int valid = 0;
        int invalid = 0;
        int failed = 0;
        int warned = 0;
        for (Outcome o : outcomes) {
            if (o.failure != null) {
                failed++;
                // it was there when found: one that cannot be read now (a dangling link in a tree) is the machine's
                Failure f = Failure.of(o.failure);
                worst = Math.max(worst, report(f.kind() == Kind.ENVIRONMENT ? f : new EnvironmentFailure(f.ruleId(), f.getMessage(), o.failure)));
                continue;
            }
            ImageReport r = o.report;
            if (r.valid()) {
                valid++;
            } else {
                invalid++;
            }
            int exit = r.valid() ? ExitCode.OK : ExitCode.INVALID;
            worst = Math.max(worst, exit);
            out.println(common.json ? Json.verdict(spec, exit, new Judged(r, rules.toString(), o.signature), r.errors(),
                    r.warnings()) : verdict(r));
            if (o.signature != null && !common.json) {
                out.println("  signature: " + o.signature.describe());
            }
            Errors.print(err, r);
            warned += r.valid() && !r.warnings().isEmpty() ? 1 : 0;
        }
        if (!common.json) {
            int missing = found.missing().size();
            out.println(outcomes.size() + " image" + (outcomes.size() == 1 ? "" : "s") + ": " + valid + " valid"
                    + (warned == 0 ? "" : " (" + warned + " with warnings)") + ", " + invalid + " invalid"
                    + (failed == 0 ? "" : ", " + failed + " unreadable")
                    + (missing == 0 ? "" : ", " + missing + " path" + (missing == 1 ? "" : "s") + " not found"));
        }
        out.flush();
        err.flush();
        return worst;
    }

    /** One image (or path) that could not be judged: its lines on stderr, its envelope with --json; returns its exit code. */
    private int report(Failure failure) {
        if (common.json) {
            spec.commandLine().getOut().println(Json.failure(spec, failure));
        }
        failure.lines().forEach(line -> spec.commandLine().getErr().println("mdtload: " + line));
        return failure.kind().exitCode();
    }

    /**
     * Concatenated rather than formatted: nothing here has a width or a locale, and Formatter's
     * first use in a fresh JVM sets up locale data, a hundred classes (issue 12, third round).
     */
    static String verdict(ImageReport r) {
        if (!r.valid()) {
            return "INVALID " + r.path() + ": " + r.errors().size() + " error" + (r.errors().size() == 1 ? "" : "s")
                    + ", first: " + r.errors().getFirst().rule().id();
        }
        String hash = r.mbnVersion() == null ? "unsigned" : "MBN v" + r.mbnVersion() + " " + r.digestAlgorithm();
        return "VALID   " + r.path() + ": ELF" + r.elfClass() + ", " + r.phnum() + " segments, " + hash + ", load size "
                + r.loadSize() + ", " + (r.split() ? "split" : "single file") + warnings(r.warnings());
    }

    /** ", warnings: zero-fill-overlap, file-bytes-overlap x2" or nothing: each rule once, in the order found. */
    static String warnings(List<Violation> warnings) {
        if (warnings.isEmpty()) {
            return "";
        }
        Map<String, Long> counts = warnings.stream().collect(
                Collectors.groupingBy(v -> v.rule().id(), LinkedHashMap::new, Collectors.counting()));
        return ", warnings: " + counts.entrySet().stream()
                .map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " x" + e.getValue())
                .collect(Collectors.joining(", "));
    }


    /** The JSON of one image: the image report's fields, the kernel judged for, and "signature" with --signatures. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Judged(@JsonUnwrapped @JsonIgnoreProperties({"errors", "warnings"}) ImageReport report, String kernel,
                  SignatureReport signature) {}

    /**
     * --kernel all: each image judged under the first release of every modelled range, consecutive
     * ranges with the same errors merged, e.g. "loads on 6.1 up to 6.1.192; 6.1.192 up to 6.2: ...
     * [taken-as-split]; loads on 6.2 and later".
     */
    private int perKernel(List<Path> images) throws IOException, UsageFailure {
        PrintWriter out = spec.commandLine().getOut();
        List<TargetKernel> kernels = kernel.each();
        boolean anyInvalid = false;
        for (Path image : images) {
            List<Range> ranges = new java.util.ArrayList<>();
            for (TargetKernel k : kernels) {
                ImageReport r = new Validator(unsigned.allowUnsigned, strict.strict, k).validate(image);
                List<String> errors = r.errors().stream().map(v -> v.rule().id()).distinct().toList();
                String first = r.errors().isEmpty() ? null : r.errors().getFirst().line();
                if (!ranges.isEmpty() && ranges.getLast().errors().equals(errors)) {
                    continue;
                }
                ranges.add(new Range(k.toString(), null, r.valid(), errors, first));
                anyInvalid |= !r.valid();
            }
            for (int i = 0; i + 1 < ranges.size(); i++) {
                Range r = ranges.get(i);
                ranges.set(i, new Range(r.from(), ranges.get(i + 1).from(), r.valid(), r.errors(), r.firstError()));
            }
            int exit = ranges.stream().allMatch(Range::valid) ? ExitCode.OK : ExitCode.INVALID;
            out.println(common.json ? Json.envelope(spec, exit, new PerKernel(image.toString(), ranges), List.of(), List.of())
                    : describe(image, ranges));
        }
        out.flush();
        return anyInvalid ? ExitCode.INVALID : ExitCode.OK;
    }

    /** The kernels from {@code from} up to (not including) {@code before}, or all later ones when null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Range(String from, String before, boolean valid, List<String> errors, String firstError) {
        String span() {
            return before == null ? from + " and later" : from + " up to " + before;
        }
    }

    record PerKernel(String path, List<Range> kernels) {}

    static String describe(Path image, List<Range> ranges) {
        return image + ": " + ranges.stream()
                .map(r -> r.valid() ? "loads on " + r.span() : r.span() + ": " + r.firstError())
                .collect(Collectors.joining("; "));
    }

    /** The result of one image: a report (with its signature verdict when asked), or the environment error that stopped it being read. */
    private record Outcome(ImageReport report, SignatureReport signature, Exception failure) {
        static Outcome of(Validator validator, Path path, boolean signatures, RootRequirement root, boolean allowUnsigned) {
            try {
                ImageReport report = validator.validate(path);
                if (!signatures) {
                    return new Outcome(report, null, null);
                }
                SignatureReport signature = Signatures.verify(path, root, allowUnsigned);
                // an unreadable hash segment is reported by both; say it once
                List<Violation> more = signature.errors().stream().filter(v -> !report.errors().contains(v)).toList();
                return new Outcome(report.withErrors(more), signature, null);
            } catch (IOException | UncheckedIOException e) {
                return new Outcome(null, null, e);
            }
        }
    }
}
