package dev.mdtload.cli;

import dev.mdtload.check.Violation;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "validate",
        header = "Check images: structure, the kernel's load rules, and every segment's digest.",
        description = {
                "Directories are searched recursively for .mdt and .mbn files.",
                "Prints one verdict line per image and a summary; exit 1 if any image is invalid.",
                "Example: mdtload validate --json /lib/firmware/qcom"})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    UnsignedOption unsigned;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Images (.mdt, .mbn) or directories.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        List<Path> images = ImageFinder.find(paths);
        Validator validator = new Validator(unsigned.allowUnsigned);
        // images in parallel, each hashing its segments in parallel on the same pool
        List<Outcome> outcomes = images.parallelStream().map(p -> Outcome.of(validator, p)).toList();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int valid = 0;
        int invalid = 0;
        int failed = 0;
        for (Outcome o : outcomes) {
            if (o.failure != null) {
                failed++;
                err.println("mdtload: " + Errors.describe(o.failure));
                continue;
            }
            ImageReport r = o.report;
            if (r.valid()) {
                valid++;
            } else {
                invalid++;
            }
            out.println(common.json ? Json.line(r) : verdict(r));
            for (Violation v : r.errors()) {
                err.println("mdtload: " + v.line());
            }
        }
        if (!common.json) {
            out.printf("%d image%s: %d valid, %d invalid%s%n", outcomes.size(), outcomes.size() == 1 ? "" : "s",
                    valid, invalid, failed == 0 ? "" : ", " + failed + " unreadable");
        }
        out.flush();
        err.flush();
        if (failed > 0) {
            return ExitCode.ENVIRONMENT;
        }
        return invalid > 0 ? ExitCode.INVALID : ExitCode.OK;
    }

    static String verdict(ImageReport r) {
        if (!r.valid()) {
            return String.format("INVALID %s: %d error%s, first: %s", r.path(), r.errors().size(),
                    r.errors().size() == 1 ? "" : "s", r.errors().getFirst().rule().id());
        }
        String hash = r.mbnVersion() == null ? "unsigned" : "MBN v" + r.mbnVersion() + " " + r.digestAlgorithm();
        return String.format("VALID   %s: ELF%d, %d segments, %s, load size %d, %s", r.path(), r.elfClass(),
                r.phnum(), hash, r.loadSize(), r.split() ? "split" : "single file");
    }

    /** The result of one image: a report, or the environment error that stopped it being read. */
    private record Outcome(ImageReport report, Exception failure) {
        static Outcome of(Validator validator, Path path) {
            try {
                return new Outcome(validator.validate(path), null);
            } catch (IOException | UncheckedIOException e) {
                return new Outcome(null, e);
            }
        }
    }
}
