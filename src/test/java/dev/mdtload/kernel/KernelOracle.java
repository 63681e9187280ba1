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
import java.util.List;

/**
 * The verdict table the real kernels produced (src/test/resources/dev/mdtload/kernel/oracle-20261130.md:
 * {@code make test-kernel-loader} on branch kernel-arm64, Debian's arm64 6.1.0-57 = 6.1.192 and
 * 6.12.95 calling their own qcom_mdt_load_no_init()). A row names an image by where it came from
 * (corpus/, shared/, samples/) and each kernel's answer: "loaded" or the errno.
 */
record KernelOracle(String image, long regionBase, long regionSize, boolean loadedOn61, boolean loadedOn612) {
    static final KernelVersion DEBIAN_61 = KernelVersion.parse("6.1.192");
    static final KernelVersion DEBIAN_612 = KernelVersion.parse("6.12.95");
    private static final Path TABLE = Path.of("src/test/resources/dev/mdtload/kernel/oracle-20261130.md");

    static List<KernelOracle> rows() {
        try {
            return Files.readAllLines(TABLE).stream()
                    .filter(l -> l.startsWith("| corpus/") || l.startsWith("| shared/") || l.startsWith("| samples/"))
                    .map(l -> l.split("\\|"))
                    .map(c -> new KernelOracle(c[1].strip(), hex(c[2].strip().split("\\+")[0]),
                            hex(c[2].strip().split("\\+")[1]), c[3].strip().equals("loaded"), c[4].strip().equals("loaded")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long hex(String text) {
        return Long.parseUnsignedLong(text.substring(2), 16);
    }

    boolean loadedOn(KernelVersion v) {
        return v.equals(DEBIAN_61) ? loadedOn61 : loadedOn612;
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
