package dev.mdtload.image;

import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.testing.Corpus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real images of linux-firmware 20250410-2 that mdtload once refused, though the device loads
 * them: each must validate, with exactly the warnings its shape calls for and no error. The
 * expected segments were read off {@code readelf -lW} (the PT_NOTE / PT_DYNAMIC / PT_INTERP headers
 * inside a PT_LOAD, the second of two bss segments at one address) and off the hash segment's
 * bytes (msbtfw11: a v6 table of 3 x 32 bytes), not off mdtload's output.
 *
 * <p>Run: {@code mvn test -Dgroups=corpus -Dtest.excludedGroups= -Dmdtload.corpus=.../lib/firmware
 * -Dtest=DeviceVerdictCorpusTest}.
 */
@Tag("corpus")
class DeviceVerdictCorpusTest {
    private record Expected(String image, Map<Integer, Rule> warnings) {
        @Override
        public String toString() {
            return image;
        }
    }

    private static final Map<Integer, Rule> WLANMDSP = Map.of(4, Rule.FILE_BYTES_OVERLAP, 6, Rule.FILE_BYTES_OVERLAP);

    static Stream<Expected> onceRefused() {
        return Stream.of(
                // PT_INTERP (2) and PT_DYNAMIC (22) inside PT_LOAD 21
                new Expected("qcom/apq8016/modem.mbn", Map.of(2, Rule.FILE_BYTES_OVERLAP, 22, Rule.FILE_BYTES_OVERLAP)),
                // PT_DYNAMIC (4) inside PT_LOAD 3, PT_NOTE (6) inside PT_LOAD 2
                new Expected("ath10k/WCN3990/hw1.0/wlanmdsp.mbn", WLANMDSP),
                new Expected("ath10k/WCN3990/hw1.0/qcm2290/wlanmdsp.mbn", WLANMDSP),
                new Expected("ath10k/WCN3990/hw1.0/qrb4210/wlanmdsp.mbn", WLANMDSP),
                // bss segments 7 and 8 both at 0x8bae3400
                new Expected("qcom/apq8016/wcnss.mbn", Map.of(8, Rule.ZERO_FILL_OVERLAP)),
                // the WCN6750 Bluetooth patch: MBN v6 with SHA-256 digests
                new Expected("qca/msbtfw11.mbn", Map.of(1, Rule.HASH_ALGORITHM_UNUSUAL)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("onceRefused")
    void validate_acceptsItWithExactlyItsWarnings(Expected e) throws IOException {
        ImageReport r = new Validator(false).validate(Corpus.root().resolve(e.image()));
        assertEquals(List.of(), r.errors(), e.image());
        assertTrue(r.valid());
        Map<Integer, Rule> warnings = r.warnings().stream()
                .collect(Collectors.toMap(Violation::segment, Violation::rule, (a, b) -> a, TreeMap::new));
        assertEquals(new TreeMap<>(e.warnings()), warnings, () -> e.image() + ": " + r.warnings());
        assertEquals(e.warnings().size(), r.warnings().size(), () -> "one warning per segment: " + r.warnings());
        assertTrue(r.segments().stream().noneMatch(s -> s.digest() == DigestStatus.MISMATCH), e.image());
    }

    @Test
    void everyImageOfTheCorpus_isValid_andOnlyTheOnceRefusedCarryWarnings() throws IOException {
        Path root = Corpus.root();
        List<Path> images;
        try (Stream<Path> walk = Files.walk(root)) {
            images = walk.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".mdt") || p.toString().endsWith(".mbn")))
                    .sorted().toList();
        }
        assertTrue(images.size() >= 70, "the corpus holds its 74 PIL images: " + images.size());
        Validator validator = new Validator(false);
        Set<String> warned = new TreeSet<>();
        for (Path image : images) {
            ImageReport r = validator.validate(image);
            assertEquals(List.of(), r.errors(), image.toString());
            if (!r.warnings().isEmpty()) {
                // qcom/sdm845/wlanmdsp.mbn and others are links to the ath10k images: count each file once
                warned.add(root.toRealPath().relativize(image.toRealPath()).toString());
            }
        }
        Set<String> expected = new TreeSet<>();
        for (Expected e : onceRefused().toList()) {
            expected.add(root.toRealPath().relativize(root.resolve(e.image()).toRealPath()).toString());
        }
        assertEquals(expected, warned);
    }
}
