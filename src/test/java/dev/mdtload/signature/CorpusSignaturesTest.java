package dev.mdtload.signature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.cli.CliRun;
import dev.mdtload.testing.Corpus;
import dev.mdtload.testing.RawElf;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every image of the linux-firmware corpus through {@code validate --signatures}, the expected
 * verdict worked out independently: the test's own ELF reader cuts out the hash segment, the JDK
 * splits the chain, and {@code openssl} verifies the chain and decides which scheme the signature
 * verifies with. mdtload must agree on the scheme, verify each image pinned to its own root, fail
 * it pinned to another, and name every root from its table.
 *
 * <p>Run with {@code -Dgroups=corpus -Dtest.excludedGroups= -Dmdtload.corpus=.../lib/firmware}.
 */
@Tag("corpus")
class CorpusSignaturesTest {
    @TempDir
    Path tmp;

    /** One corpus image as the test's own reader sees it. */
    record Image(String relative, Path path, byte[] hash) {
        boolean signed() {
            return RawElf.signature(hash).length > 0 && RawElf.certChain(hash).length > 0;
        }

        int version() {
            return ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        }

        List<X509Certificate> chain() {
            try {
                return RealSignaturesTest.jdkChain(RawElf.certChain(hash));
            } catch (Exception e) {
                throw new AssertionError(relative + ": the JDK cannot read the chain", e);
            }
        }

        X509Certificate root() {
            return chain().getLast();
        }

        @Override
        public String toString() {
            return relative;
        }
    }

    private static List<Image> images;

    /** Every distinct .mbn and .mdt of the corpus (symlinked copies once), with a hash segment; read once. */
    static synchronized List<Image> images() throws IOException {
        if (images == null) {
            images = read(Corpus.root());
        }
        return images;
    }

    private static List<Image> read(Path root) throws IOException {
        Map<Path, Image> byTarget = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".mbn") || f.toString().endsWith(".mdt")).sorted().toList()) {
                RawElf elf = RawElf.read(p);
                if (elf.phdrs().stream().anyMatch(RawElf.Phdr::isHash)) {
                    byTarget.putIfAbsent(p.toRealPath(), new Image(root.relativize(p).toString(), p, elf.hashSegment()));
                }
            }
        }
        return List.copyOf(byTarget.values());
    }

    static Stream<Image> signedImages() throws IOException {
        return images().stream().filter(Image::signed);
    }

    @Test
    void theCorpusHasSignedImagesOfEveryVersionAndSomeUnsignedOnes() throws IOException {
        List<Image> all = images();
        Set<Integer> signedVersions = new HashSet<>();
        all.stream().filter(Image::signed).forEach(i -> signedVersions.add(i.version()));

        assertEquals(Set.of(3, 5, 6, 7), signedVersions);
        assertTrue(all.stream().filter(Image::signed).count() >= 60, "a corpus of the expected size: " + all.size());
        assertTrue(all.stream().anyMatch(i -> !i.signed()), "the IPQ8074 / IPQ5018 images are unsigned");
    }

    @ParameterizedTest
    @MethodSource("signedImages")
    void everySignedImageVerifiesWithTheSchemeOpensslFindsAndPinnedToItsOwnRoot(Image image) throws Exception {
        Independent expected = independent(image);
        assertTrue(expected.chainVerifies(), image + ": openssl verifies the chain");

        CliRun run = CliRun.of("validate", "--signatures", "--json", "--root-sha256", expected.rootSha256(), image.path());

        JsonNode signature = CliRun.result(run.out()).get("signature");
        assertEquals("verified", signature.get("status").asText(), run::toString);
        assertEquals(expected.scheme(), signature.get("scheme").asText(), run::toString);
        assertEquals(RawElf.digestTableEnd(image.hash()), signature.get("signed_length").asInt());
        assertEquals("pinned", signature.at("/root/pinning").asText(), run::toString);
        assertEquals(expected.rootSha256(), signature.at("/root/sha256").asText());
        assertEquals(0, signature.get("errors").size(), run::toString);
    }

    @ParameterizedTest
    @MethodSource("signedImages")
    void everySignedImageFailsPinnedToAnotherRoot(Image image) throws Exception {
        String own = jdkSha256(image.root());
        String other = null;
        for (Image candidate : images()) {
            if (candidate.signed() && !jdkSha256(candidate.root()).equals(own)) {
                other = jdkSha256(candidate.root());
                break;
            }
        }

        CliRun run = CliRun.of("validate", "--root-sha256", other, image.path());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("is not the trust anchor " + other), run::toString);
        assertTrue(run.err().contains("[root-mismatch]"), run::toString);
    }

    @ParameterizedTest
    @MethodSource("signedImages")
    void everyRootIsInTheTableWithTheKindItsSubjectStates(Image image) throws Exception {
        X509Certificate root = image.root();

        JsonNode signature = CliRun.result(
                CliRun.of("validate", "--signatures", "--json", image.path()).out()).get("signature");

        assertEquals("not-pinned", signature.at("/root/pinning").asText());
        assertTrue(signature.at("/root/label").asText().startsWith(RealSignaturesTest.commonName(root) + " ("),
                signature::toString);
        // the test roots say so in an OU ("General Use Test Key (for testing only)", "... (OEM)"); the
        // Qualcomm (QMC Attestation Root CA 4, 6) and Lenovo production roots have no such OU
        assertEquals(RealSignaturesTest.testKey(root) ? "test" : "production", signature.at("/root/kind").asText());
    }

    @ParameterizedTest
    @MethodSource("signedImages")
    void noImageCarriesAQtiSignature(Image image) throws Exception {
        JsonNode certs = CliRun.result(CliRun.of("certs", "--json", image.path()).out());

        assertEquals(1, certs.get("chains").size());
        assertEquals("oem", certs.at("/chains/0/authority").asText());
    }

    @Test
    void theUnsignedImagesPassOnlyWithAllowUnsigned() throws IOException {
        for (Image image : images().stream().filter(i -> !i.signed()).toList()) {
            assertEquals(0, RawElf.signature(image.hash()).length + RawElf.certChain(image.hash()).length, image.relative());

            CliRun strict = CliRun.of("validate", "--signatures", image.path());
            CliRun allowed = CliRun.of("validate", "--signatures", "--allow-unsigned", "--json", image.path());

            assertEquals(1, strict.exit(), strict::toString);
            assertTrue(strict.err().contains("image has no signature and no certificate chain [unsigned]"), strict::toString);
            JsonNode report = CliRun.result(allowed.out());
            assertEquals("unsigned", report.at("/signature/status").asText(), allowed::toString);
            assertEquals(0, report.at("/signature/errors").size(), allowed::toString);
        }
    }

    /** What openssl and the JDK, without mdtload, make of an image's chain and signature. */
    record Independent(boolean chainVerifies, String scheme, String rootSha256) {}

    Independent independent(Image image) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "img");
        List<X509Certificate> chain = image.chain();
        List<Path> pems = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            pems.add(pem(dir.resolve("cert" + i + ".pem"), chain.get(i)));
        }
        List<String> verify = new ArrayList<>(List.of("openssl", "verify", "-no_check_time", "-CAfile", pems.getLast().toString()));
        for (Path ca : pems.subList(1, pems.size() - 1)) {
            verify.addAll(List.of("-untrusted", ca.toString()));
        }
        verify.add(pems.getFirst().toString());
        boolean chainVerifies = openssl(verify).exit() == 0;

        Path pub = dir.resolve("attestation.pub.pem");
        Files.writeString(pub, openssl(List.of("openssl", "x509", "-pubkey", "-noout", "-in", pems.getFirst().toString())).out());
        String keyText = openssl(List.of("openssl", "pkey", "-pubin", "-in", pub.toString(), "-text", "-noout")).out();
        byte[] signed = Arrays.copyOf(image.hash(), RawElf.digestTableEnd(image.hash()));
        byte[] signature = RawElf.signature(image.hash());
        Path signedFile = Files.write(dir.resolve("signed.bin"), signed);
        return new Independent(chainVerifies, scheme(dir, pub, keyText, signedFile, signed, signature, chain.getFirst()),
                opensslSha256(chain.getLast()));
    }

    /** The one scheme openssl verifies the signature with, "" when none does. */
    private String scheme(Path dir, Path pub, String keyText, Path signedFile, byte[] signed, byte[] signature,
                          X509Certificate attestation) throws Exception {
        List<String> schemes = new ArrayList<>();
        if (keyText.contains("ASN1 OID: secp384r1")) {
            // DER inside a fixed field: its own length says where it ends
            byte[] der = Arrays.copyOf(signature, 2 + signature[1]);
            Path sig = Files.write(dir.resolve("sig.der"), der);
            if (openssl(List.of("openssl", "dgst", "-sha384", "-verify", pub.toString(), "-signature", sig.toString(),
                    signedFile.toString())).exit() == 0) {
                schemes.add("ecdsa-p384-sha384");
            }
        }
        if (attestation.getPublicKey() instanceof RSAPublicKey) {
            Path sig = Files.write(dir.resolve("sig.bin"), signature);
            if (openssl(List.of("openssl", "dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32",
                    "-verify", pub.toString(), "-signature", sig.toString(), signedFile.toString())).exit() == 0) {
                schemes.add("rsassa-pss-sha256");
            }
            Path recovered = dir.resolve("recovered.bin");
            OpensslRun run = openssl(List.of("openssl", "pkeyutl", "-verifyrecover", "-pubin", "-inkey", pub.toString(),
                    "-pkeyopt", "rsa_padding_mode:pkcs1", "-in", sig.toString(), "-out", recovered.toString()));
            if (run.exit() == 0 && Files.size(recovered) == 32) {
                byte[] expected = SignatureEvidenceTest.qualcommHmac(signed, RealSignaturesTest.ouField(attestation, "SW_ID"),
                        RealSignaturesTest.ouField(attestation, "HW_ID"));
                assertArrayEquals(expected, Files.readAllBytes(recovered), "a bare 32-byte PKCS#1 v1.5 digest is the HMAC-style one");
                schemes.add("rsa-pkcs1v15-qcom-hmac-sha256");
            }
        }
        assertTrue(schemes.size() <= 1, "one scheme at most: " + schemes);
        return schemes.isEmpty() ? "" : schemes.getFirst();
    }

    /** The root's SHA-256 as openssl prints its fingerprint, lower-case hex without colons. */
    String opensslSha256(X509Certificate certificate) throws Exception {
        Path file = pem(Files.createTempFile(tmp, "root", ".pem"), certificate);
        String out = openssl(List.of("openssl", "x509", "-in", file.toString(), "-noout", "-fingerprint", "-sha256")).out();
        return out.substring(out.indexOf('=') + 1).strip().replace(":", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static String jdkSha256(X509Certificate certificate) throws Exception {
        return RealSignaturesTest.sha256(RealSignaturesTest.encoded(certificate));
    }

    private static Path pem(Path file, X509Certificate certificate) throws IOException {
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(RealSignaturesTest.encoded(certificate))
                + "\n-----END CERTIFICATE-----\n");
        return file;
    }

    record OpensslRun(int exit, String out) {}

    private static OpensslRun openssl(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new OpensslRun(p.waitFor(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
