package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.squash.Squasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "squash",
        header = "Join a split image (.mdt + .bNN) into one .mbn, byte-identical to pil-squasher's.",
        description = {
                "The image is validated first (parts, sizes, digests); nothing is written if it is invalid.",
                "Example: mdtload squash /lib/firmware/ath11k/WCN6750/hw1.0/wpss.mdt -o wpss.mbn"})
final class SquashCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "IMAGE", description = "The split image's .mdt.")
    Path image;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.mbn",
            description = "The file to write; - for stdout (the report then goes to stderr).")
    Path output;

    @Option(names = "--force", description = "Replace OUT.mbn if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException, Failure {
        try (Output out = Output.of(output, Output.imageFiles(image))) {
            Squasher.squash(image, out.path(), force);
            out.finish();
            Written.of(image, List.of(output)).print(spec, out.report(spec.commandLine().getOut(), spec.commandLine().getErr()),
                    common.json);
        }
        return ExitCode.OK;
    }
}
