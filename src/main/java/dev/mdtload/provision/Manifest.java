package dev.mdtload.provision;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mdtload.load.Loader;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.kernel.KernelRules;
import dev.mdtload.preflight.BoardFacts;
import dev.mdtload.scm.Host;
import dev.mdtload.scm.ScmConvention;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

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
                settings.facts(), settings.host()), processors);
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
     * The top-level options, defaults filled in: sim, smc64, real, the board's own kernel, and an OS
     * under a hypervisor.
     *
     * @param facts the board's fuses ({@code facts:}): the simulated secure world refuses what that board would
     * @param host  where Linux runs ({@code host:}), and at EL2 the IOMMU windows it maps carveouts through
     */
    public record Settings(ScmBackend scm, ScmConvention convention, SysfsKind sysfs, Kernel kernel, BoardFacts facts,
                           OsLevel host) {
        public Settings {
            Objects.requireNonNull(scm, "scm");
            Objects.requireNonNull(convention, "convention");
            Objects.requireNonNull(sysfs, "sysfs");
            Objects.requireNonNull(kernel, "kernel");
            Objects.requireNonNull(facts, "facts");
            Objects.requireNonNull(host, "host");
        }

        /** Settings for a board whose fuses are not known, whose Linux runs under a hypervisor. */
        public Settings(ScmBackend scm, ScmConvention convention, SysfsKind sysfs, Kernel kernel) {
            this(scm, convention, sysfs, kernel, BoardFacts.NONE, new OsLevel.Hypervisor());
        }
    }

    /**
     * Where Linux runs, as {@code load --el2} or not: it decides whether mdtload does the steps a
     * hypervisor would do around auth_and_reset (see {@link Host}).
     */
    public sealed interface OsLevel {
        /** What the loader and the simulated secure world are told. */
        Host level();

        /** The translations every scm image's request carries: at EL2 the declared windows, else none. */
        IommuMap iommu();

        /** {@code host: hypervisor}, the default: the hypervisor maps and bridges the carveouts. */
        record Hypervisor() implements OsLevel {
            @Override
            public Host level() {
                return Host.HYPERVISOR;
            }

            @Override
            public IommuMap iommu() {
                return IommuMap.empty();
            }
        }

        /**
         * {@code host: el2}: mdtload maps each carveout 1:1 for its processor, through the
         * {@code iommu_map} window that holds it, as {@code load --el2 --iommu-map} does.
         *
         * @throws IllegalArgumentException two windows of one device overlap
         */
        record El2(List<IommuMap.Identity> windows) implements OsLevel {
            public El2 {
                windows = List.copyOf(windows);
                // overlapping windows are refused when the manifest is read, not at the first load
                new IommuMap(windows);
            }

            @Override
            public Host level() {
                return Host.EL2;
            }

            @Override
            public IommuMap iommu() {
                return new IommuMap(windows);
            }
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
     * @param line  where its entry starts in the manifest, for messages
     * @param image resolved against the manifest's directory
     * @param after the names of the entries that must be running before this one starts
     */
    public record Entry(String name, int order, int line, Path image, Method method, List<String> after) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(method, "method");
            after = List.copyOf(after);
        }

        /** Every image the entry reads: its own, and an scm entry's DTB companion. */
        public List<Path> images() {
            return switch (method) {
                case Method.Scm scm -> scm.images(image).stream().map(PasImage::image).toList();
                case Method.Remoteproc ignored -> List.of(image);
            };
        }
    }

    /** How a processor is started. */
    public sealed interface Method {
        /**
         * Through mdtload's own loader and the secure world's PAS calls, into the carveout the
         * entry names: alone, or after a DTB companion image.
         */
        sealed interface Scm extends Method {
            /**
             * What the secure world authenticates for the entry whose image is {@code main}: that
             * image, then its DTB companion when there is one (the kernel authenticates the companion first).
             */
            List<PasImage> images(Path main);

            /** The main image's PAS id. */
            int pasId();
        }

        /** The main image only. */
        record Alone(int pasId, CarveoutRef carveout) implements Scm {
            public Alone {
                Objects.requireNonNull(carveout, "carveout");
            }

            @Override
            public List<PasImage> images(Path main) {
                return List.of(new PasImage(PasImage.Role.MAIN, main, pasId, carveout));
            }
        }

        /**
         * The DTB image ({@code *_dtb.mbn}) first, under its own PAS id and carveout: the kernel's
         * qcom_q6v5_pas loads it in adsp_load() and authenticates it (auth_and_reset of dtb_pas_id)
         * in adsp_start() before the main image's init_image; adsp_stop() shuts it down after the main one.
         */
        record WithCompanion(int pasId, CarveoutRef carveout, Path companion, int companionPasId,
                             CarveoutRef companionCarveout) implements Scm {
            public WithCompanion {
                Objects.requireNonNull(carveout, "carveout");
                Objects.requireNonNull(companion, "companion");
                Objects.requireNonNull(companionCarveout, "companionCarveout");
            }

            @Override
            public List<PasImage> images(Path main) {
                return List.of(new PasImage(PasImage.Role.MAIN, main, pasId, carveout),
                        new PasImage(PasImage.Role.COMPANION, companion, companionPasId, companionCarveout));
            }
        }

        /**
         * Through the kernel's remoteproc sysfs.
         *
         * @param processor its {@code remoteprocN} directory or its name
         * @param firmware  the name to stage the image under: as given, else the image's file name
         */
        record Remoteproc(String processor, String firmware, KernelCarveout carveout) implements Method {
            public Remoteproc {
                Objects.requireNonNull(processor, "processor");
                Objects.requireNonNull(firmware, "firmware");
                Objects.requireNonNull(carveout, "carveout");
            }
        }
    }

    /** The memory the kernel loads a remoteproc image into: it always takes the region the board's device tree assigns. */
    public sealed interface KernelCarveout {
        /** The manifest names that region too: mdtload checks it is there, big enough and shared with no other entry. */
        record Named(CarveoutRef ref) implements KernelCarveout {
            public Named {
                Objects.requireNonNull(ref, "ref");
            }
        }

        /** The manifest leaves it to the device tree: nothing to check. */
        record FromDeviceTree() implements KernelCarveout {}
    }

    /**
     * One image the secure world authenticates under its own PAS id, loaded into its own carveout.
     *
     * @param role the main image, or its DTB companion; it names the image's steps
     */
    public record PasImage(Role role, Path image, int pasId, CarveoutRef carveout) {
        public PasImage {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(carveout, "carveout");
        }

        /** Which image of an scm entry; the companion's steps are "companion_carveout", "companion_init_image", ... */
        public enum Role {
            MAIN(""), COMPANION(Loader.COMPANION);

            private final String prefix;

            Role(String prefix) {
                this.prefix = prefix;
            }

            /** {@code name} as this image's step. */
            public String step(String name) {
                return prefix + name;
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
