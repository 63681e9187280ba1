package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.rproc.FirmwareSearchPath;
import dev.mdtload.rproc.Remoteproc;
import dev.mdtload.rproc.Remoteprocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

@Command(name = "firmware", header = "Show or set the firmware name a processor boots next.",
        description = {"Setting it is refused (exit 4) unless the processor is offline.",
                "Example: mdtload rproc firmware wpss ath11k/WCN6750/hw1.0/wpss.mdt"})
final class RprocFirmwareCommand extends RprocSubcommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "remoteprocN or the processor's name.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FIRMWARE",
            description = "New firmware name, relative to the firmware search path.")
    String firmware;

    @Override
    public Integer call() throws IOException, Failure {
        Remoteprocs remoteprocs = remoteprocs();
        Remoteproc p;
        if (firmware == null) {
            p = remoteprocs.get(name);
        } else {
            FirmwareName fw = FirmwareName.of(firmware);
            p = remoteprocs.setFirmware(name, fw);
            FirmwareSearchPath path = remoteprocs.searchPath();
            if (path.find(fw).isEmpty()) {
                spec.commandLine().getErr().printf("mdtload: note: no file %s in %s yet%n", fw, path.directories());
                spec.commandLine().getErr().flush();
            }
        }
        out().println(common.json ? Json.success(spec, p) : p.label() + ": " + p.firmware());
        return done();
    }
}
