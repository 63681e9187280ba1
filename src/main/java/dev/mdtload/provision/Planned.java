package dev.mdtload.provision;

import dev.mdtload.image.FirmwareImage;
import dev.mdtload.load.LoadPlan;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.rproc.Remoteproc;

/** One processor's bring-up after every check passed: its image open and validated, nothing written. */
sealed interface Planned extends AutoCloseable {
    Entry entry();

    /** How many steps its start takes, for a progress bar. */
    int steps();

    @Override
    void close();

    /** init_image, mem_setup (relocatable images), copy, auth_and_reset. */
    record ScmLoad(Entry entry, LoadPlan load) implements Planned {
        @Override
        public int steps() {
            return load.image().layout().relocatable() ? 4 : 3;
        }

        @Override
        public void close() {
            load.close();
        }
    }

    /** stage, boot. */
    record RemoteprocStart(Entry entry, FirmwareImage image, FirmwareName firmware, Remoteproc processor)
            implements Planned {
        @Override
        public int steps() {
            return 2;
        }

        @Override
        public void close() {
            image.close();
        }
    }
}
