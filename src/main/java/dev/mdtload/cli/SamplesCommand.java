package dev.mdtload.cli;

import dev.mdtload.samples.Difference;
import dev.mdtload.samples.SampleGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "samples",
        header = "Write the synthetic sample images: valid ones of every kind and one broken one per rule.",
        description = {
                "Writes DIR/valid, DIR/broken and DIR/README.md, the same bytes on every run; other files in DIR are left alone.",
                "With --check, writes nothing and exits 1 if DIR differs from what the generator writes (one line per file).",
                "Example: mdtload samples firmware-samples --check"})
final class SamplesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--check", description = "Compare DIR with a fresh generation instead of writing it.")
    boolean check;

    @Parameters(paramLabel = "DIR", description = "The samples directory, e.g. firmware-samples.")
    Path dir;

    /** {@code samples --json}: where the samples went, and how many. */
    record Generated(String directory, int images) {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!check) {
            int count = SampleGenerator.generate(dir);
            out.println(common.json ? Json.success(spec, new Generated(dir.toString(), count))
                    : String.format("wrote %d sample images to %s", count, dir));
            out.flush();
            return ExitCode.OK;
        }
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory");
        }
        List<Difference> differences = SampleGenerator.check(dir);
        PrintWriter err = spec.commandLine().getErr();
        int exit = differences.isEmpty() ? ExitCode.OK : ExitCode.INVALID;
        if (common.json) {
            out.println(Json.envelope(spec, exit, differences, differences.stream()
                    .map(d -> new Json.Problem("sample-differs", dir.toString(), d.line())).toList(), List.of()));
        } else {
            differences.forEach(d -> err.println("mdtload: " + d.line()));
        }
        if (!common.json) {
            out.println(differences.isEmpty() ? dir + ": samples match the generator"
                    : dir + ": " + differences.size() + " file(s) differ from the generator; run 'mdtload samples " + dir + "'");
        }
        out.flush();
        err.flush();
        return exit;
    }
}
