package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "rproc",
        header = "Drive remote processors through the kernel's remoteproc sysfs.",
        description = {
                "Processors are named by their sysfs directory (remoteproc0) or their name (wpss).",
                "Example: mdtload rproc start wpss wpss.mdt --as ath11k/WCN6750/hw1.0/wpss.mdt"},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                RprocListCommand.class,
                RprocStatusCommand.class,
                RprocStartCommand.class,
                RprocStopCommand.class,
                RprocFirmwareCommand.class,
        })
final class RprocCommand implements Callable<Integer> {
    @Override
    public Integer call() throws UsageFailure {
        throw new UsageFailure("rproc needs a command: list, status, start, stop or firmware");
    }
}
