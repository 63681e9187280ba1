package dev.mdtload.provision;

import dev.mdtload.image.FirmwareImage;
import dev.mdtload.load.Boot;
import dev.mdtload.load.LoadPlan;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.rproc.Remoteproc;

import java.util.List;
import java.util.Optional;

/** One processor's bring-up after every check passed: its image open and validated, nothing written. */
sealed interface Planned extends AutoCloseable {
    Entry entry();

    /** How many steps its start takes, for a progress bar. */
    int steps();

    @Override
    void close();

    /**
     * The lite firmware's shutdowns, then init_image, mem_setup (relocatable images), copy,
     * auth_and_reset: of the DTB companion first when there is one, then of the main image.
     *
     * @param lite the PAS ids of the lite firmware the board's SoC leaves running for this processor
     */
    record ScmLoad(Entry entry, LoadPlan load, Optional<LoadPlan> companion, List<Long> lite) implements Planned {
        public ScmLoad {
            lite = List.copyOf(lite);
        }

        /** The load as the loader runs it. */
        Boot boot() {
            return new Boot(lite, companion, load);
        }

        @Override
        public int steps() {
            return lite.size() + steps(load) + companion.map(ScmLoad::steps).orElse(0);
        }

        private static int steps(LoadPlan plan) {
            return plan.image().layout().relocatable() ? 4 : 3;
        }

        @Override
        public void close() {
            boot().close();
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
