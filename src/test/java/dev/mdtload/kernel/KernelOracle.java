package dev.mdtload.kernel;

import dev.mdtload.check.Basis;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The verdict table the real kernels produced (src/test/resources/dev/mdtload/kernel/oracle-matrix-20261130.md:
 * {@code make test-kernel-loader} on branch kmatrix, Debian's arm64 kernels from bookworm's 6.1.192 to
 * sid's 7.2.13 calling their own qcom_mdt_load_no_init()). A row names an image by where it came from
 * (corpus/, shared/, samples/) and each kernel's answer, in the order of the file's {@code kernels:}
 * line: "loaded" or the errno.
 */
record KernelOracle(String image, long regionBase, long regionSize, Map<KernelVersion, Boolean> loaded) {
    private static final Path TABLE = Path.of("src/test/resources/dev/mdtload/kernel/oracle-matrix-20261130.md");
    private static final Pattern KERNELS = Pattern.compile("kernels: ([0-9. ]+)");

    /** The kernels of the table, in its column order (upstream versions; the columns name Debian ABIs). */
    static List<KernelVersion> kernels() {
        Matcher m = KERNELS.matcher(table());
        if (!m.find()) {
            throw new IllegalStateException(TABLE + " names no kernels");
        }
        return Arrays.stream(m.group(1).strip().split(" +")).map(KernelVersion::parse).toList();
    }

    static List<KernelOracle> rows() {
        List<KernelVersion> kernels = kernels();
        return table().lines()
                .filter(l -> l.startsWith("| corpus/") || l.startsWith("| shared/") || l.startsWith("| samples/"))
                .map(l -> l.split("\\|"))
                .map(c -> {
                    Map<KernelVersion, Boolean> loaded = new LinkedHashMap<>();
                    for (int i = 0; i < kernels.size(); i++) {
                        loaded.put(kernels.get(i), c[3 + i].strip().equals("loaded"));
                    }
                    String[] region = c[2].strip().split("\\+");
                    return new KernelOracle(c[1].strip(), hex(region[0]), hex(region[1]), Map.copyOf(loaded));
                })
                .toList();
    }

    private static String table() {
        try {
            return Files.readString(TABLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long hex(String text) {
        return Long.parseUnsignedLong(text.substring(2), 16);
    }

    boolean loadedOn(KernelVersion v) {
        return loaded.get(v);
    }

    /** Where the image is on this machine, given the corpus root. */
    Path path(Path corpus) {
        String rest = image.substring(image.indexOf('/') + 1);
        return switch (image.substring(0, image.indexOf('/'))) {
            case "corpus" -> corpus.resolve(rest);
            case "shared" -> Path.of("../shared/firmware").resolve(rest);
            // the samples that became warnings moved from broken/ to warning/ after the oracle's run
            default -> Files.exists(Path.of("firmware-samples").resolve(rest), LinkOption.NOFOLLOW_LINKS)
                    ? Path.of("firmware-samples").resolve(rest)
                    : Path.of("firmware-samples").resolve(rest.replaceFirst("^broken/", "warning/"));
        };
    }

    /**
     * mdtload's verdict in the oracle's terms: loaded unless an error the PAS-less loader would meet
     * (the harness exempts what only PAS init or the secure world checks), then placed in the row's
     * region as {@code load} places it. Returns the rule ids that refuse.
     */
    List<String> refusingRules(Path image, KernelVersion kernel) throws IOException {
        ImageReport r = new Validator(false, false, new KernelRules(kernel)).validate(image);
        List<String> refusing = r.errors().stream()
                .filter(v -> v.rule().basis() != Basis.SECURE_WORLD && v.rule().basis() != Basis.PAS_INIT)
                .map(v -> v.rule().id()).distinct().toList();
        if (!refusing.isEmpty() || r.elfClass() == null) {
            return refusing;
        }
        try (FirmwareImage opened = FirmwareImage.open(image)) {
            opened.layout().place(image.toString(), regionBase, regionSize);
            return List.of();
        } catch (InvalidImageException e) {
            return e.violations().stream().map(v -> v.rule().id()).distinct().toList();
        }
    }
}
