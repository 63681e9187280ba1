package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.rproc.Remoteproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

@Command(name = "status", header = "Show one remote processor's sysfs attributes.",
        description = {"Example: mdtload rproc status wpss"})
final class RprocStatusCommand extends RprocSubcommand {
    @Parameters(paramLabel = "NAME", description = "remoteprocN or the processor's name.")
    String name;

    @Override
    public Integer call() throws IOException, UsageFailure {
        Remoteproc p = remoteprocs().get(name);
        if (common.json) {
            out().println(Json.success(spec, p));
        } else {
            out().printf("%s%n  name:     %s%n  state:    %s%n  firmware: %s%n  recovery: %s%n  coredump: %s%n",
                    p.id(), p.name(), p.state(), p.firmware(), text(p.recovery()), text(p.coredump()));
        }
        return done();
    }

    private static String text(Remoteproc.Setting setting) {
        return switch (setting) {
            case Remoteproc.Value(String value) -> value;
            case Remoteproc.Absent _ -> "(no such attribute)";
        };
    }
}
