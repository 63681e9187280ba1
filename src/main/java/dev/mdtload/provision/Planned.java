package dev.mdtload.provision;

import dev.mdtload.image.FirmwareImage;
import dev.mdtload.load.LoadPlan;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.rproc.Remoteproc;

import java.util.Optional;

/** One processor's bring-up after every check passed: its image open and validated, nothing written. */
sealed interface Planned extends AutoCloseable {
    Entry entry();

    /** How many steps its start takes, for a progress bar. */
    int steps();

    @Override
    void close();

    /**
     * init_image, mem_setup (relocatable images), copy, auth_and_reset: of the DTB companion
     * first when there is one, then of the main image.
     */
    record ScmLoad(Entry entry, LoadPlan load, Optional<LoadPlan> companion) implements Planned {
        @Override
        public int steps() {
            return steps(load) + companion.map(ScmLoad::steps).orElse(0);
        }

        private static int steps(LoadPlan plan) {
            return plan.image().layout().relocatable() ? 4 : 3;
        }

        @Override
        public void close() {
            load.close();
            companion.ifPresent(LoadPlan::close);
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
