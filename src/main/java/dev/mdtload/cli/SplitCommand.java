package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.squash.Splitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "split",
        header = "Split an image into .mdt + .bNN, the inverse of squash.",
        description = {
                "The .mdt holds the ELF and program headers followed by the hash segment; each program header "
                        + "with file bytes gets a .bNN. Segments without file bytes get no part.",
                "The image is validated first; nothing is written if it is invalid.",
                "Example: mdtload split /lib/firmware/qcom/sm8250/a650_zap.mbn -o out/"})
final class SplitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "IMAGE", description = "The image (.mbn, or a split .mdt).")
    Path image;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "Directory for BASE.mdt and BASE.bNN (created if missing).")
    Path directory;

    @Option(names = "--force", description = "Replace outputs that exist.")
    boolean force;

    @Override
    public Integer call() throws IOException, Failure {
        if (directory.toString().equals(Output.STDOUT)) {
            throw new UsageFailure("-o -: split writes a directory of files (BASE.mdt and BASE.bNN), not one stream");
        }
        String name = String.valueOf(image.getFileName());
        String base = name.lastIndexOf('.') > 0 ? name.substring(0, name.lastIndexOf('.')) : name;
        List<Path> inputs = Output.imageFiles(image);
        for (Path output : Output.imageFiles(directory.resolve(base + ".mdt"))) {
            Output.requireNotInput(output, inputs);
        }
        Splitter.Result result = Splitter.split(image, directory, force);
        if (result.strayBytes() > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("mdtload: %s: warning: %d non-zero bytes lie outside every header and segment;"
                    + " they are not in the split and squash will not restore them%n", image, result.strayBytes());
            err.flush();
        }
        Written.of(image, result.files()).print(spec, spec.commandLine().getOut(), common.json);
        return ExitCode.OK;
    }
}
