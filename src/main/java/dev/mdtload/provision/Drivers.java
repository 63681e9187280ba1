package dev.mdtload.provision;

import dev.mdtload.provision.Manifest.ScmBackend;
import dev.mdtload.provision.Manifest.SysfsKind;
import dev.mdtload.rproc.FileSysfs;
import dev.mdtload.rproc.RemoteprocSysfs;
import dev.mdtload.rproc.SimulatedSysfs;
import dev.mdtload.scm.RecordingSecureMonitor;
import dev.mdtload.scm.SecureMonitor;
import dev.mdtload.scm.SecureWorldSetup;
import dev.mdtload.scm.SimSecureMonitor;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/** What a run talks to: the secure world and the kernel's remoteproc sysfs. Tests wrap them to inject failures. */
public interface Drivers {
    /** Opened once per run, and only when the manifest has scm entries; the run closes it. */
    SecureMonitor secureWorld(SecureWorldSetup setup) throws IOException;

    RemoteprocSysfs sysfs(Path root);

    /**
     * As the manifest's settings say (the simulated secure world told where Linux runs, as
     * {@code load --el2} tells it); a dry run records the secure-world calls into {@code record}
     * and keeps the kernel's remoteproc rules over a copy, whatever they say.
     */
    static Drivers of(Manifest.Settings settings, boolean dryRun, Writer record) {
        ScmBackend scm = dryRun ? ScmBackend.RECORD : settings.scm();
        SysfsKind sysfs = dryRun ? SysfsKind.SIM : settings.sysfs();
        return new Drivers() {
            @Override
            public SecureMonitor secureWorld(SecureWorldSetup setup) throws IOException {
                return switch (scm) {
                    case SIM -> SimSecureMonitor.open(setup, settings.host().level());
                    case RECORD -> new RecordingSecureMonitor(record, setup.sharedBase());
                };
            }

            @Override
            public RemoteprocSysfs sysfs(Path root) {
                return switch (sysfs) {
                    case SIM -> new SimulatedSysfs(root);
                    case REAL -> new FileSysfs(root);
                };
            }
        };
    }
}
