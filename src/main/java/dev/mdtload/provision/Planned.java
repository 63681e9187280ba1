package dev.mdtload.provision;

import dev.mdtload.image.FirmwareImage;
import dev.mdtload.load.LoadPlan;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.provision.Manifest.PasImage;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.rproc.Remoteproc;

import java.util.List;

/** One processor's bring-up after every check passed: its image open and validated, nothing written. */
sealed interface Planned extends AutoCloseable {
    Entry entry();

    /** How many steps its start takes, for a progress bar. */
    int steps();

    @Override
    void close();

    /**
     * init_image, mem_setup (relocatable images), copy, auth_and_reset of each image.
     *
     * @param loads the main image first, then its DTB companion when there is one: the manifest's
     *              order, which the kernel's adsp_stop() shuts them down in, the reverse of the order it starts them
     */
    record ScmLoad(Entry entry, List<PasLoad> loads) implements Planned {
        public ScmLoad {
            loads = List.copyOf(loads);
        }

        @Override
        public int steps() {
            return loads.stream().mapToInt(l -> l.plan().image().layout().relocatable() ? 4 : 3).sum();
        }

        @Override
        public void close() {
            loads.forEach(l -> l.plan().close());
        }
    }

    /** One image of an scm entry, validated and placed; its role names its steps. */
    record PasLoad(PasImage.Role role, LoadPlan plan) {}

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
