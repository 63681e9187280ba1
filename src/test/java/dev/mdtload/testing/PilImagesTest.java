package dev.mdtload.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The corpus run trusts this finder to see every image and nothing else: checked on the known tree. */
class PilImagesTest {
    @Test
    void find_seesEachRealImageOnce_notItsPartsNorALinkToIt_norOtherFiles(@TempDir Path dir) throws Exception {
        Path tree = RealImage.firmwareTree(dir);
        Files.writeString(tree.resolve("qcom/notes.txt"), "not firmware");
        Files.write(tree.resolve("qcom/plain.elf"), Arrays.copyOf(RealImage.MBA.raw().bytes(), 52), java.nio.file.StandardOpenOption.CREATE_NEW);

        List<String> expected = Arrays.stream(RealImage.values()).map(i -> i.relative).sorted().toList();
        assertEquals(expected, PilImages.find(tree).stream().map(Path::toString).toList());
    }

    @Test
    void rootSha256_isEmptyForAnUnsignedImage_andNamesASelfIssuedRootForASignedOne() throws Exception {
        assertTrue(PilImages.rootSha256(RealImage.M3_FW.raw().hashSegment()).isEmpty(), "README: m3_fw is unsigned");
        for (RealImage signed : List.of(RealImage.VENUS, RealImage.A650_ZAP, RealImage.WPSS, RealImage.MBA)) {
            String root = PilImages.rootSha256(signed.raw().hashSegment()).orElseThrow();
            assertTrue(root.matches("[0-9a-f]{64}"), root);
            // README: 6144 bytes of chain; what is in them must link, each certificate issued by the next
            List<java.security.cert.X509Certificate> chain = PilImages.chain(signed.raw().hashSegment());
            assertTrue(chain.size() >= 2, signed + ": " + chain.size() + " certificates");
            for (int i = 0; i + 1 < chain.size(); i++) {
                assertEquals(chain.get(i + 1).getSubjectX500Principal(), chain.get(i).getIssuerX500Principal(), signed.toString());
            }
        }
    }
}
