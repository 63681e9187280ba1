package dev.mdtload.provision;

import dev.mdtload.image.FirmwareImage;
import dev.mdtload.load.Boot;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.rproc.Remoteproc;
import dev.mdtload.scm.Host;

/** One processor's bring-up after every check passed: its image open and validated, nothing written. */
sealed interface Planned extends AutoCloseable {
    Entry entry();

    /** How many steps its start takes, for a progress bar. */
    int steps();

    @Override
    void close();

    /**
     * The lite firmware's shutdowns, then init_image, mem_setup (relocatable images), copy,
     * auth_and_reset: of the DTB companion first when there is one, then of the main image. At EL2
     * each image also takes rsc_table, unmap, iommu_map, shm_bridge_create and shm_bridge_delete.
     *
     * @param boot the entry's images as the loader runs them, with the lite firmware the board's SoC
     *             leaves running for this processor
     * @param host where Linux runs, which decides the loader's steps
     */
    record ScmLoad(Entry entry, Boot boot, Host host) implements Planned {
        @Override
        public int steps() {
            return boot.steps(host);
        }

        @Override
        public void close() {
            boot.close();
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
