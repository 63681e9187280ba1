package dev.mdtload.preflight;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.preflight.BoardFacts.Fact;
import dev.mdtload.signature.ChainInfo;
import dev.mdtload.signature.ImageSignature;
import dev.mdtload.signature.Signatures;
import dev.mdtload.signature.SigningAttributes;
import dev.mdtload.testing.Corpus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every signed linux-firmware image against its own board, described by what {@code certs --json}
 * shows of it, then against a board with another OEM id and one with another root.
 */
@Tag("corpus")
class PreflightCorpusTest {
    /** The processor each SW_ID of the corpus belongs to, by the kernel driver that loads it (see SwIds). */
    private static final Map<Long, Long> PAS_ID_OF_SW_ID = Map.ofEntries(Map.entry(0x4L, 1L), Map.entry(0x2L, 4L),
            Map.entry(0xdL, 6L), Map.entry(0xeL, 9L), Map.entry(0x18L, 12L), Map.entry(0x14L, 13L), Map.entry(0x1dL, 15L),
            Map.entry(0x17L, 18L), Map.entry(0x44L, 30L), Map.entry(0x58L, 39L), Map.entry(0x5aL, 40L), Map.entry(0x53L, 0x24L));
    /** No kernel driver loads these through PAS (wlanmdsp: the modem; msbtfw11, the MBA: no PAS id of their own). */
    private static final long UNPAIRED_PAS_ID = 0xffff;
    private static final String OTHER_ROOT = "00".repeat(32);

    @Test
    void everySignedImage_passesOnItsOwnBoard_andFailsOnAnotherOemOrRoot() throws IOException, InvalidImageException {
        List<String> problems = new ArrayList<>();
        int signed = 0;
        int oemChecked = 0;
        try (Stream<Path> files = Files.walk(Corpus.root())) {
            for (Path image : files.filter(p -> p.toString().endsWith(".mdt") || p.toString().endsWith(".mbn")).sorted().toList()) {
                Signatures.CertsReport certs;
                try {
                    certs = Signatures.certificates(image);
                } catch (InvalidImageException unsigned) {
                    continue;
                }
                signed++;
                ChainInfo oem = certs.chains().stream().filter(c -> c.authority() == ImageSignature.Authority.OEM).findFirst().orElseThrow();
                SigningAttributes ids = certs.mbnVersion() >= 6 ? certs.metadata() : oem.certificates().getFirst().attributes();
                List<Fact> own = new ArrayList<>(List.of(new Fact.Root(oem.rootSha256())));
                OptionalLong oemId = ids.id(SigningAttributes.Id.OEM_ID);
                if (oemId.isPresent()) {
                    own.add(new Fact.OemId(oemId.getAsLong()));
                    own.add(new Fact.ModelId(ids.id(SigningAttributes.Id.MODEL_ID).orElseThrow()));
                    own.add(new Fact.HwId(ids.id(SigningAttributes.Id.HW_ID).orElseThrow()));
                }
                long pasId = PAS_ID_OF_SW_ID.getOrDefault(ids.id(SigningAttributes.Id.SW_ID).orElseThrow() & 0xffff_ffffL, UNPAIRED_PAS_ID);
                BoardFacts board = new BoardFacts(own);
                expect(problems, image, Preflight.check(image, pasId, board), List.of());
                expect(problems, image, Preflight.check(image, pasId, board.with(new BoardFacts(List.of(new Fact.Root(OTHER_ROOT))))),
                        List.of("root-mismatch"));
                if (oemId.isPresent()) {
                    oemChecked++;
                    expect(problems, image, Preflight.check(image, pasId,
                            board.with(new BoardFacts(List.of(new Fact.OemId(oemId.getAsLong() ^ 0x1234))))), List.of("oem-id-mismatch"));
                }
            }
        }
        assertEquals(List.of(), problems);
        // 94 .mdt/.mbn files (venus and vpu images come as both), 4 unsigned (ath11k IPQ5018 and IPQ8074
        // m3_fw/q6_fw); the 13 MBN v7 ones (qcom/vpu/vpu30_p4.mbn, qcom/x1e80100/**) state no OEM_ID: their
        // common metadata has the SW_ID only
        assertEquals(90, signed);
        assertEquals(77, oemChecked);
    }

    private static void expect(List<String> problems, Path image, PreflightReport report, List<String> failures) {
        List<String> got = report.failures().stream().map(Finding::check).toList();
        if (!got.equals(failures)) {
            problems.add(image + ": expected " + failures + ", got " + report.failures());
        }
    }
}
