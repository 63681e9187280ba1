package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.rproc.Remoteproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

@Command(name = "stop", header = "Stop a running remote processor.",
        description = {"Exit 4 when it is not running (the kernel answers EINVAL).", "Example: mdtload rproc stop wpss"})
final class RprocStopCommand extends RprocSubcommand {
    @Parameters(paramLabel = "NAME", description = "remoteprocN or the processor's name.")
    String name;

    @Override
    public Integer call() throws IOException, Failure {
        Remoteproc p = remoteprocs().stop(name);
        out().println(common.json ? Json.success(spec, p) : p.label() + ": " + p.state());
        return done();
    }
}
