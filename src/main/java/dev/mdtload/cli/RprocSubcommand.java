package dev.mdtload.cli;

import dev.mdtload.rproc.FileSysfs;
import dev.mdtload.rproc.RemoteprocSysfs;
import dev.mdtload.rproc.Remoteprocs;
import dev.mdtload.rproc.SimulatedSysfs;
import picocli.CommandLine.Option;

/** What every {@code rproc} command takes besides the root: which sysfs to drive. */
abstract class RprocSubcommand extends RootedCommand {
    /** real: the files under ROOT are the kernel's sysfs; sim: mdtload keeps the kernel's rules over a fake board's files. */
    enum Sysfs { real, sim }

    @Option(names = "--sysfs", paramLabel = "KIND", defaultValue = "real",
            description = "real: ROOT/sys is the kernel's sysfs (default); sim: simulate the kernel's remoteproc "
                    + "rules over the files of a fake board.")
    Sysfs sysfs;

    Remoteprocs remoteprocs() {
        RemoteprocSysfs access = sysfs == Sysfs.sim ? new SimulatedSysfs(root.root) : new FileSysfs(root.root);
        return new Remoteprocs(root.root, access);
    }
}
