package dev.mdtload.carveout;

import dev.mdtload.failure.UsageFailure;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a carveout lives, as the user writes it ({@code --carveout SPEC}). Each form's
 * {@code toString()} is its canonical spec text, so {@code parse(spec.toString())} gives it back.
 */
public sealed interface CarveoutSpec {
    String FORMS = "file:PATH, devmem, devmem:PATH, uio:NAME, uio:NAME:MAP, dma-heap:HEAP, memfd or reserved:NAME";

    /** A file standing in for the memory; byte 0 is the physical base. Created sparse if missing. */
    record File(Path path) implements CarveoutSpec {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "file:" + path;
        }
    }

    /** Physical memory through a device whose offset is the physical address: {@code /dev/mem} or a file in its place. */
    sealed interface DevMem extends CarveoutSpec {
        /** {@code devmem}: the machine's {@code /dev/mem}, under the root. */
        record Default() implements DevMem {
            @Override
            public String toString() {
                return "devmem";
            }
        }

        /** {@code devmem:PATH}: the given file in /dev/mem's place (a PCI BAR's resourceN file, a stand-in). */
        record Named(Path path) implements DevMem {
            public Named {
                Objects.requireNonNull(path, "path");
            }

            @Override
            public String toString() {
                return "devmem:" + path;
            }
        }
    }

    /** Map {@code map} of the UIO device {@code name}: {@code /dev/NAME}, described in sysfs. */
    record Uio(String name, int map) implements CarveoutSpec {
        public Uio {
            requirePlainName("uio device", name);
            if (map < 0) {
                throw new IllegalArgumentException("uio map index " + map + " is negative");
            }
        }

        @Override
        public String toString() {
            return map == 0 ? "uio:" + name : "uio:" + name + ":" + map;
        }
    }

    /** A fresh buffer from {@code /dev/dma_heap/HEAP}: memory without a physical address. */
    record DmaHeap(String heap) implements CarveoutSpec {
        public DmaHeap {
            requirePlainName("dma-heap", heap);
        }

        @Override
        public String toString() {
            return "dma-heap:" + heap;
        }
    }

    /** Anonymous memory, for dry runs: nothing outside this process sees it. */
    record Memfd() implements CarveoutSpec {
        @Override
        public String toString() {
            return "memfd";
        }
    }

    /** A device-tree reserved-memory region by name, reached through {@code /dev/mem}. */
    record Reserved(String name) implements CarveoutSpec {
        public Reserved {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("reserved-memory region name is empty");
            }
        }

        /** The failure when the board's reserved-memory table has no region of this name. */
        public UsageFailure noSuchRegion() {
            return new UsageFailure("carveout " + this + ": the board has no reserved-memory region named '" + name + "'");
        }

        @Override
        public String toString() {
            return "reserved:" + name;
        }
    }

    static CarveoutSpec parse(String text) throws UsageFailure {
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        boolean bare = colon < 0;
        String rest = bare ? "" : text.substring(colon + 1);
        try {
            return switch (kind) {
                case "file" -> new File(Path.of(required(rest, "a path")));
                case "devmem" -> bare ? new DevMem.Default() : new DevMem.Named(Path.of(required(rest, "a path")));
                case "uio" -> uio(required(rest, "a device name"));
                case "dma-heap" -> new DmaHeap(required(rest, "a heap name"));
                case "memfd" -> bare ? new Memfd() : refuse("memfd takes no argument");
                case "reserved" -> new Reserved(required(rest, "a region name"));
                default -> refuse("unknown kind '" + kind + "'");
            };
        } catch (IllegalArgumentException e) {
            // Also InvalidPathException, a subclass: every malformed spec gets the same one-line form.
            throw new UsageFailure("carveout '" + text + "': " + e.getMessage() + "; expected " + FORMS);
        }
    }

    private static Uio uio(String nameAndMap) {
        int colon = nameAndMap.indexOf(':');
        if (colon < 0) {
            return new Uio(nameAndMap, 0);
        }
        String map = nameAndMap.substring(colon + 1);
        if (!map.matches("[0-9]{1,4}")) {
            throw new IllegalArgumentException("uio map '" + map + "' is not a map number");
        }
        return new Uio(nameAndMap.substring(0, colon), Integer.parseInt(map));
    }

    /** The text after {@code KIND:}, which these kinds cannot do without ("" when the spec has no colon). */
    private static String required(String argument, String what) {
        if (argument.isEmpty()) {
            throw new IllegalArgumentException("needs " + what);
        }
        return argument;
    }

    private static CarveoutSpec refuse(String reason) {
        throw new IllegalArgumentException(reason);
    }

    /** Names that become one path component under /dev or /sys: nothing that could leave it. */
    private static void requirePlainName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\0")) {
            throw new IllegalArgumentException(what + " name '" + name + "' must be a plain file name");
        }
    }
}
