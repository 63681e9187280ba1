package dev.mdtload.provision;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.kernel.KernelRules;
import dev.mdtload.preflight.BoardFacts;
import dev.mdtload.scm.ScmConvention;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A board's bring-up as its manifest describes it: which image each processor gets, into which
 * carveout, by which method, in which order, and how the secure world and sysfs are reached.
 * Read one with {@link ManifestReader}; every value here has passed the schema's checks, none has
 * been checked against the board yet (that is {@link Plan}'s job).
 *
 * @param file       the manifest, as given
 * @param processors in bring-up order: by {@code order}, as written where it is absent
 */
public record Manifest(Path file, Settings settings, List<Entry> processors) {
    public Manifest {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(settings, "settings");
        processors = List.copyOf(processors);
    }

    /** This manifest with its kernel setting replaced (provision --kernel). */
    public Manifest withKernel(KernelRules kernel) {
        return new Manifest(file, new Settings(settings.scm(), settings.convention(), settings.sysfs(), new Kernel.Named(kernel),
                settings.facts()), processors);
    }

    /** Which secure world scm entries are loaded through: the simulation, or a recorder of the calls. */
    public enum ScmBackend {
        SIM, RECORD;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** real: ROOT/sys is the kernel's sysfs; sim: mdtload keeps the kernel's remoteproc rules over a fake board's files. */
    public enum SysfsKind {
        REAL, SIM;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The top-level options, defaults filled in: sim, smc64, real, and the board's own kernel.
     *
     * @param facts the board's fuses ({@code facts:}): the simulated secure world refuses what that board would
     */
    public record Settings(ScmBackend scm, ScmConvention convention, SysfsKind sysfs, Kernel kernel, BoardFacts facts) {
        public Settings {
            Objects.requireNonNull(scm, "scm");
            Objects.requireNonNull(convention, "convention");
            Objects.requireNonNull(sysfs, "sysfs");
            Objects.requireNonNull(kernel, "kernel");
            Objects.requireNonNull(facts, "facts");
        }

        /** Settings for a board whose fuses are not known. */
        public Settings(ScmBackend scm, ScmConvention convention, SysfsKind sysfs, Kernel kernel) {
            this(scm, convention, sysfs, kernel, BoardFacts.NONE);
        }
    }

    /** Whose loader rules judge the images: a release the manifest (or --kernel) names, or the board's own. */
    public sealed interface Kernel {
        /** The default: the running kernel, read under the board's ROOT as validate reads it. */
        Kernel BOARDS_OWN = new BoardsOwn();

        record Named(KernelRules rules) implements Kernel {}

        record BoardsOwn() implements Kernel {}
    }

    /**
     * One processor to bring up.
     *
     * @param line     where its entry starts in the manifest, for messages
     * @param image    resolved against the manifest's directory
     * @param carveout required for scm; for remoteproc (whose carveout the kernel fills) only checked
     * @param after    the names of the entries that must be running before this one starts
     */
    public record Entry(String name, int order, int line, Path image, Optional<CarveoutRef> carveout, Method method,
                        List<String> after) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(carveout, "carveout");
            Objects.requireNonNull(method, "method");
            after = List.copyOf(after);
        }
    }

    /** How a processor is started. */
    public sealed interface Method {
        /**
         * Through mdtload's own loader and the secure world's PAS calls.
         *
         * @param companion the DTB image loaded and authenticated first, under its own PAS id
         */
        record Scm(int pasId, Optional<Companion> companion) implements Method {
            public Scm {
                Objects.requireNonNull(companion, "companion");
            }

            public Scm(int pasId) {
                this(pasId, Optional.empty());
            }
        }

        /**
         * Through the kernel's remoteproc sysfs.
         *
         * @param processor its {@code remoteprocN} directory or its name
         * @param firmware  the name to stage the image under; absent: the image's file name
         */
        record Remoteproc(String processor, Optional<String> firmware) implements Method {
            public Remoteproc {
                Objects.requireNonNull(processor, "processor");
                Objects.requireNonNull(firmware, "firmware");
            }
        }
    }

    /**
     * A processor's DTB companion image ({@code *_dtb.mbn}): its own PAS id and carveout. The kernel's
     * qcom_q6v5_pas loads it in adsp_load() and authenticates it (auth_and_reset of dtb_pas_id) in
     * adsp_start() before the main image's init_image; adsp_stop() shuts it down after the main one.
     */
    public record Companion(Path image, int pasId, CarveoutRef carveout) {
        public Companion {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(carveout, "carveout");
        }
    }

    /**
     * The carveout an entry names: {@code reserved:NAME} (the whole reserved-memory region), or
     * another spec with its physical base and size.
     */
    public sealed interface CarveoutRef {
        CarveoutSpec spec();

        record Reserved(CarveoutSpec.Reserved spec) implements CarveoutRef {}

        record Explicit(CarveoutSpec spec, PhysAddr phys, long size) implements CarveoutRef {
            public Explicit {
                Objects.requireNonNull(spec, "spec");
                Objects.requireNonNull(phys, "phys");
            }
        }
    }
}
