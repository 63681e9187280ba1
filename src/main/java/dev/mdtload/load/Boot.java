package dev.mdtload.load;

import dev.mdtload.address.PhysRange;
import dev.mdtload.failure.UsageFailure;
import dev.mdtload.scm.Host;
import dev.mdtload.scm.SecureWorldSetup;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One processor's bring-up through the secure world, in the order of the kernel's qcom_q6v5_pas
 * (drivers/remoteproc/qcom_q6v5_pas.c): qcom_pas_load() shuts the lite firmware down and loads the
 * DTB companion, qcom_pas_start() authenticates the companion (auth_and_reset of dtb_pas_id) before
 * the main image's init_image. Every plan in it has been validated, and no companion's carveout
 * shares a byte with the main one's; nothing has been written. Closing it releases both images'
 * mappings.
 *
 * <p>A class with a factory rather than a record: the carveouts' check is the user's to answer
 * (a {@link UsageFailure}), which a record's canonical constructor cannot throw.
 */
public final class Boot implements AutoCloseable {
    private final List<Long> lite;
    private final List<LoadPlan> companions;
    private final LoadPlan main;

    private Boot(List<Long> lite, List<LoadPlan> companions, LoadPlan main) {
        this.lite = List.copyOf(lite);
        this.companions = List.copyOf(companions);
        this.main = Objects.requireNonNull(main, "main");
    }

    /**
     * A boot of {@code main} after its {@code companions}.
     *
     * @param lite       the PAS ids of the lite firmware to shut down first, results ignored
     *                   ({@link dev.mdtload.preflight.LiteFirmware})
     * @param companions the images authenticated before the main one, each under its own PAS id and
     *                   carveout: the DTB image (the kernel's dtb_pas_id) on SoCs that have one, else none
     * @throws UsageFailure a companion's carveout overlaps the main one's (both bases known): the
     *                      later copy would overwrite the image the secure world checks; the plans
     *                      stay the caller's to close
     */
    public static Boot of(List<Long> lite, List<LoadPlan> companions, LoadPlan main) throws UsageFailure {
        for (LoadPlan companion : companions) {
            requireApart(companion, main);
        }
        return new Boot(lite, companions, main);
    }

    /** Refused before either carveout is opened; one whose base is only read at opening cannot be judged yet. */
    private static void requireApart(LoadPlan companion, LoadPlan main) throws UsageFailure {
        if (companion.where() instanceof LoadPlan.Where.Known c && main.where() instanceof LoadPlan.Where.Known m) {
            PhysRange dtb = new PhysRange(c.base(), companion.request().size());
            PhysRange carveout = new PhysRange(m.base(), main.request().size());
            if (dtb.overlaps(carveout)) {
                throw new UsageFailure(String.format("companion carveout 0x%x..0x%x overlaps the carveout 0x%x..0x%x",
                        dtb.base().value(), dtb.end().value(), carveout.base().value(), carveout.end().value()));
            }
        }
    }

    public List<Long> lite() {
        return lite;
    }

    public List<LoadPlan> companions() {
        return companions;
    }

    public LoadPlan main() {
        return main;
    }

    /** How many steps {@link Loader#boot} tells its listener of when all go well: the lite shutdowns, then each image's. */
    public int steps(Host host) {
        return lite.size() + Stream.concat(companions.stream(), Stream.of(main)).mapToInt(plan -> Loader.steps(plan, host)).sum();
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
