package dev.mdtload.provision;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.kernel.KernelRules;
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
        return new Manifest(file, new Settings(settings.scm(), settings.convention(), settings.sysfs(), new Kernel.Named(kernel)), processors);
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
     */
    public record Settings(ScmBackend scm, ScmConvention convention, SysfsKind sysfs, Kernel kernel) {
        public Settings {
            Objects.requireNonNull(scm, "scm");
            Objects.requireNonNull(convention, "convention");
            Objects.requireNonNull(sysfs, "sysfs");
            Objects.requireNonNull(kernel, "kernel");
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
     */
    public record Entry(String name, int order, int line, Path image, Optional<CarveoutRef> carveout, Method method) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(carveout, "carveout");
            Objects.requireNonNull(method, "method");
        }
    }

    /** How a processor is started. */
    public sealed interface Method {
        /** Through mdtload's own loader and the secure world's PAS calls. */
        record Scm(int pasId) implements Method {}

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
