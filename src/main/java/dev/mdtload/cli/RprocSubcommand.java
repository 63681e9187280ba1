package dev.mdtload.cli;

import dev.mdtload.rproc.FileSysfs;
import dev.mdtload.rproc.RemoteprocSysfs;
import dev.mdtload.rproc.Remoteprocs;
import dev.mdtload.rproc.SimulatedSysfs;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** What every {@code rproc} command takes: the root, which sysfs to drive, and the common options. */
abstract class RprocSubcommand implements Callable<Integer> {
    /** real: the files under ROOT are the kernel's sysfs; sim: mdtload keeps the kernel's rules over a fake board's files. */
    enum Sysfs { real, sim }

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    RootOption root;

    @Option(names = "--sysfs", paramLabel = "KIND", defaultValue = "real",
            description = "real: ROOT/sys is the kernel's sysfs (default); sim: simulate the kernel's remoteproc "
                    + "rules over the files of a fake board.")
    Sysfs sysfs;

    Remoteprocs remoteprocs() {
        RemoteprocSysfs access = sysfs == Sysfs.sim ? new SimulatedSysfs(root.root) : new FileSysfs(root.root);
        return new Remoteprocs(root.root, access);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Flushes what the command printed and returns success. */
    int done() {
        out().flush();
        return ExitCode.OK;
    }
}
