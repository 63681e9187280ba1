package dev.mdtload.cli;

import dev.mdtload.rproc.Remoteproc;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.List;

@Command(name = "list", header = "List every remote processor with its state and firmware.",
        description = {"Example: mdtload rproc list --root firmware-samples/board/root"})
final class RprocListCommand extends RprocSubcommand {
    @Override
    public Integer call() throws IOException {
        List<Remoteproc> all = remoteprocs().list();
        if (common.json) {
            out().println(Json.success(spec, all));
            return done();
        }
        out().printf("%-14s %-16s %-10s %s%n", "id", "name", "state", "firmware");
        for (Remoteproc p : all) {
            out().printf("%-14s %-16s %-10s %s%n", p.id(), p.name(), p.state(), p.firmware());
        }
        return done();
    }
}
