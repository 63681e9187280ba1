package dev.mdtload.kernel;

import dev.mdtload.testing.Corpus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The corpus rows of the oracle: every linux-firmware image the kernels were given. */
@Tag("corpus")
class KernelOracleCorpusTest {
    @Test
    void mdtloadAgreesWithEachKernelOnTheCorpus() throws IOException {
        List<KernelOracle> rows = KernelOracle.rows().stream().filter(r -> r.image().startsWith("corpus/")).toList();
        assertEquals(73, rows.size());
        assertEquals(List.of(), KernelOracleTest.disagreements(rows, Corpus.root()));
    }
}
