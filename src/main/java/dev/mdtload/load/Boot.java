package dev.mdtload.load;

import dev.mdtload.scm.SecureWorldSetup;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One processor's bring-up through the secure world, in the order of the kernel's qcom_q6v5_pas
 * (drivers/remoteproc/qcom_q6v5_pas.c): qcom_pas_load() shuts the lite firmware down and loads the
 * DTB companion, qcom_pas_start() authenticates the companion (auth_and_reset of dtb_pas_id) before
 * the main image's init_image. Every plan in it has been validated; nothing has been written.
 * Closing it releases both images' mappings.
 *
 * @param lite      the PAS ids of the lite firmware to shut down first, results ignored
 *                  ({@link dev.mdtload.preflight.LiteFirmware})
 * @param companions the images authenticated before the main one, each under its own PAS id and
 *                   carveout: the DTB image (the kernel's dtb_pas_id) on SoCs that have one, else none
 */
public record Boot(List<Long> lite, List<LoadPlan> companions, LoadPlan main) implements AutoCloseable {
    public Boot {
        lite = List.copyOf(lite);
        companions = List.copyOf(companions);
        Objects.requireNonNull(main, "main");
    }

    /** The secure world's view of both carveouts, the companion's first. */
    public List<SecureWorldSetup.Peripheral> peripherals() {
        return Stream.concat(companions.stream(), Stream.of(main)).map(LoadPlan::peripheral).toList();
    }

    @Override
    public void close() {
        main.close();
        companions.forEach(LoadPlan::close);
    }

    /** What a boot did: each lite shutdown, each companion's load, the main image's. */
    public record Result(List<LoadResult.Step> lite, List<LoadResult> companions, LoadResult main) {
        public Result {
            lite = List.copyOf(lite);
            companions = List.copyOf(companions);
            Objects.requireNonNull(main, "main");
        }
    }
}
