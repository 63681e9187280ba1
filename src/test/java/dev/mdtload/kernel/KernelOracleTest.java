package dev.mdtload.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mdtload's verdict under --kernel VERSION against what each kernel of the oracle table (6.1.192 to
 * 7.3.4) did with the same images, for the images this machine has without the corpus: ../shared and
 * the samples. Expected values are the kernels' answers; the disagreements mdtload keeps on purpose are
 * listed with their reason, so a new disagreement, or a listed one going away, fails.
 */
class KernelOracleTest {
    /**
     * image -> the rule mdtload refuses with where the kernels load it, kept on purpose (the reasons
     * are in the file, which the live kernel-loader harness reads too).
     */
    static final Map<String, List<String>> KEPT = kept();

    private static Map<String, List<String>> kept() {
        try (var in = KernelOracleTest.class.getResourceAsStream("kept-disagreements.tsv")) {
            Map<String, List<String>> kept = new java.util.HashMap<>();
            new String(java.util.Objects.requireNonNull(in, "kept-disagreements.tsv").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\t", 3))
                    .forEach(f -> kept.put(f[0], List.of(f[1])));
            return Map.copyOf(kept);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theOracleCoversEveryKernelOfTheMatrixAndEveryKindOfImage() {
        List<KernelOracle> rows = KernelOracle.rows();
        assertEquals(149, rows.size());
        assertEquals(List.of("6.1.192", "6.12.95", "6.12.118", "7.3.4", "7.2.13"),
                KernelOracle.kernels().stream().map(KernelVersion::toString).toList());
        KernelVersion debian61 = KernelVersion.parse("6.1.192");
        KernelVersion debian612 = KernelVersion.parse("6.12.95");
        assertTrue(rows.stream().anyMatch(r -> r.loadedOn(debian612) && !r.loadedOn(debian61)));
    }

    @Test
    void mdtloadAgreesWithEachKernelOnImagesOutsideTheCorpus() throws IOException {
        assertEquals(List.of(), disagreements(KernelOracle.rows().stream()
                .filter(r -> !r.image().startsWith("corpus/")).toList(), Path.of("/nonexistent")));
    }

    static List<String> disagreements(List<KernelOracle> rows, Path corpus) throws IOException {
        List<String> wrong = new ArrayList<>();
        for (KernelOracle row : rows) {
            Path image = row.path(corpus);
            if (!Files.exists(image, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                wrong.add(row.image() + ": missing on this machine");
                continue;
            }
            List<String> kept = KEPT.getOrDefault(row.image(), List.of());
            boolean keptSeen = false;
            for (KernelVersion k : KernelOracle.kernels()) {
                List<String> refusing = row.refusingRules(image, k);
                boolean loaded = row.loadedOn(k);
                // a kept disagreement may hold on some kernels only (phoff-ignored: 6.1 alone)
                boolean keptHere = loaded && !kept.isEmpty() && refusing.equals(kept);
                keptSeen |= keptHere;
                boolean agrees = loaded ? refusing.isEmpty() || keptHere : !refusing.isEmpty();
                if (!agrees) {
                    wrong.add(row.image() + " on " + k + ": kernel " + (loaded ? "loaded" : "refused")
                            + ", mdtload refuses with " + refusing);
                }
            }
            if (!kept.isEmpty() && !keptSeen) {
                wrong.add(row.image() + ": kept as " + kept + ", but no kernel of the table disagrees any more");
            }
        }
        return wrong;
    }
}
