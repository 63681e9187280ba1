package dev.mdtload.fuzz;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed seeds of the image target are what the fuzzer starts from: the re-assembled real
 * images must still validate (else every run starts in front of the digest check) and must agree
 * with the independent reader.
 */
class SeedCorpusTest {
    private static final Path SEEDS = Path.of("src/test/resources/dev/mdtload/fuzz/ImageFuzzTestInputs/singleFileImage");

    @Test
    void reassembledRealImageSeeds_validate() throws IOException {
        List<Path> seeds;
        try (Stream<Path> files = Files.list(SEEDS)) {
            // the real images re-assembled; samples include broken ones, and a split .mdt alone has no parts
            seeds = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("seed-") && !n.startsWith("seed-sample-") && !n.endsWith("-alone"))
                    .sorted().map(SEEDS::resolve).toList();
        }
        // six real images, four ELF64 variants of the first, and a650_zap.mbn unmodified
        assertEquals(SeedCorpus.REAL_IMAGES.size() + 4 + 1, seeds.size(), seeds::toString);
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        for (Path seed : seeds) {
            byte[] bytes = Files.readAllBytes(seed);
            Path copy = fs.getPath("/" + seed.getFileName());
            Files.write(copy, bytes);
            ImageReport report = new Validator(false).validate(copy);
            assertTrue(report.valid(), () -> seed.getFileName() + ": " + report.errors());
            ReferenceReader.requireValid(bytes);
        }
    }
}
