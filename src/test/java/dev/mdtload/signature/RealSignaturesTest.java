package dev.mdtload.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdtload.cli.CliRun;
import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.naming.ldap.LdapName;
import javax.security.auth.x500.X500Principal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every signed image in ../shared/firmware through {@code certs} and {@code validate --signatures}.
 * Expected values come from the firmware README (signature and chain sizes), the signature
 * facts in ../shared/docs/mbn-hash-segment.md (which scheme each image uses), and from reading
 * the bytes in the test with the JDK alone.
 */
class RealSignaturesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A real signed image and the scheme the shared signature facts give it. */
    record Signed(RealImage image, String scheme) {
        Path file() {
            return image.path();
        }

        @Override
        public String toString() {
            return image.relative;
        }
    }

    static Stream<Signed> signedImages() {
        return Stream.of(
                new Signed(RealImage.VENUS, "rsa-pkcs1v15-qcom-hmac-sha256"),
                new Signed(RealImage.MBA, "rsa-pkcs1v15-qcom-hmac-sha256"),
                new Signed(RealImage.A650_ZAP, "rsassa-pss-sha256"),
                new Signed(RealImage.WPSS, "ecdsa-p384-sha384"));
    }

    /** The hash segment of a real image, read by the test's own ELF reader. */
    static byte[] hashSegment(Path image) throws IOException {
        return RawElf.read(image).hashSegment();
    }

    /** The DER certificates of a chain field, cut by the JDK's own stream parser (which reads one at a time). */
    static List<X509Certificate> jdkChain(byte[] field) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        ByteArrayInputStream in = new ByteArrayInputStream(field);
        List<X509Certificate> certs = new ArrayList<>();
        while (in.available() > 0) {
            in.mark(1);
            if (in.read() != 0x30) {
                break;
            }
            in.reset();
            certs.add((X509Certificate) cf.generateCertificate(in));
        }
        return certs;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Whether a root says it is a test key: "General Use Test Key (for testing only)", "... (OEM)", in an OU. */
    static boolean testKey(X509Certificate root) throws Exception {
        return new LdapName(root.getSubjectX500Principal().getName()).getRdns().stream()
                .anyMatch(r -> r.getType().equalsIgnoreCase("OU") && r.getValue().toString().contains("Test Key"));
    }

    static String commonName(X509Certificate c) throws Exception {
        return new LdapName(c.getSubjectX500Principal().getName()).getRdns().stream()
                .filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString()).findFirst().orElseThrow();
    }

    static long ouField(X509Certificate c, String name) {
        Matcher m = Pattern.compile("\\d\\d ([0-9A-F]+) " + name).matcher(c.getSubjectX500Principal().getName());
        assertTrue(m.find(), name + " in " + c.getSubjectX500Principal());
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    @ParameterizedTest
    @MethodSource("signedImages")
    void certs_decodesTheChainOfEveryRealSignedImage(Signed image) throws Exception {
        CliRun run = CliRun.of("certs", "--json", image.file());

        assertEquals(0, run.exit(), run::toString);
        JsonNode report = CliRun.result(run.out());
        byte[] hash = hashSegment(image.file());
        List<X509Certificate> expected = jdkChain(RawElf.certChain(hash));
        assertEquals(image.image().mbnVersion, report.get("mbn_version").asInt());
        assertEquals(RawElf.digestTableEnd(hash), report.get("signed_length").asInt());
        JsonNode chains = report.get("chains");
        assertEquals(1, chains.size(), "every real image has only an OEM signature (QTI sizes are zero)");
        JsonNode oem = chains.get(0);
        assertEquals("oem", oem.get("authority").asText());
        assertEquals(image.image().signatureSize, oem.get("signature_size").asInt());
        assertEquals(image.image().certChainSize, oem.get("chain_field_size").asInt());
        int derBytes = expected.stream().mapToInt(c -> encoded(c).length).sum();
        assertEquals(image.image().certChainSize - derBytes, oem.get("padding").asInt());
        X509Certificate root = expected.getLast();
        assertEquals(testKey(root) ? "test" : "production", oem.get("root_kind").asText());
        assertTrue(oem.get("root_label").asText().startsWith(commonName(root) + " ("), oem::toString);
        assertEquals(sha256(encoded(root)), oem.get("root_sha256").asText());
        JsonNode certs = oem.get("certificates");
        assertEquals(expected.size(), certs.size());
        for (int i = 0; i < expected.size(); i++) {
            X509Certificate c = expected.get(i);
            JsonNode got = certs.get(i);
            assertEquals(sha256(encoded(c)), got.get("sha256").asText());
            assertEquals(c.getSubjectX500Principal().getName(X500Principal.RFC2253), got.get("subject").asText());
            assertEquals(c.getIssuerX500Principal().getName(X500Principal.RFC2253), got.get("issuer").asText());
            assertEquals(c.getNotAfter().toInstant().toString(), got.get("not_after").asText());
        }
        assertEquals(List.of("attestation", "ca", "root"), certs.findValuesAsText("role"));
    }

    @Test
    void certs_decodesTheQualcommOuFieldsOfTheV3AttestationCertificates() throws Exception {
        for (RealImage real : List.of(RealImage.VENUS, RealImage.MBA)) {
            Path image = real.path();
            String path = real.relative;
            byte[] hash = hashSegment(image);
            X509Certificate attestation = jdkChain(RawElf.certChain(hash)).getFirst();

            JsonNode attributes = CliRun.result(CliRun.of("certs", "--json", image).out())
                    .at("/chains/0/certificates/0/attributes");

            assertEquals(ouField(attestation, "SW_ID"), attributes.get("sw_id").asLong(), path);
            assertEquals(ouField(attestation, "HW_ID"), attributes.get("hw_id").asLong(), path);
            assertEquals(ouField(attestation, "DEBUG"), attributes.get("debug").asLong(), path);
            assertEquals(ouField(attestation, "OEM_ID"), attributes.get("oem_id").asLong(), path);
            assertEquals(ouField(attestation, "MODEL_ID"), attributes.get("model_id").asLong(), path);
            assertEquals("SHA256", attributes.get("hash_algorithm").asText(), path);
            // SW_SIZE is the size of what the signature covers: header plus digest table
            assertEquals(RawElf.digestTableEnd(hash), attributes.get("sw_size").asLong(), path);
        }
    }

    @Test
    void certs_decodesTheV6MetadataThatReplacesTheOuFields() throws Exception {
        for (RealImage real : List.of(RealImage.A650_ZAP, RealImage.WPSS)) {
            Path image = real.path();
            String path = real.relative;
            ByteBuffer hash = ByteBuffer.wrap(hashSegment(image)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0, hash.getInt(40), "no QTI metadata in " + path);
            assertEquals(120, hash.getInt(44), "120 bytes of OEM metadata in " + path);

            JsonNode metadata = CliRun.result(CliRun.of("certs", "--json", image).out()).get("metadata");

            assertEquals("oem-metadata", metadata.get("source").asText());
            assertEquals(Integer.toUnsignedLong(hash.getInt(48 + 8)), metadata.get("sw_id").asLong(), path);
            assertEquals(Integer.toUnsignedLong(hash.getInt(48 + 12)), metadata.get("hw_id").asLong(), path);
        }
    }

    @ParameterizedTest
    @MethodSource("signedImages")
    void validateSignatures_verifiesChainAndSignatureOfEveryRealSignedImage(Signed image) throws Exception {
        CliRun run = CliRun.of("validate", "--signatures", "--json", image.file());

        assertEquals(0, run.exit(), run::toString);
        JsonNode signature = CliRun.result(run.out()).get("signature");
        assertEquals("verified", signature.get("status").asText());
        assertEquals(image.scheme(), signature.get("scheme").asText());
        assertEquals(3, signature.get("chain_length").asInt());
        X509Certificate root = jdkChain(RawElf.certChain(hashSegment(image.file()))).getLast();
        JsonNode reported = signature.get("root");
        assertEquals(sha256(encoded(root)), reported.get("sha256").asText());
        assertEquals("not-pinned", reported.get("pinning").asText(), "no --root-cert or --root-sha256 given");
        assertEquals(testKey(root) ? "test" : "production", reported.get("kind").asText());
        assertTrue(reported.get("label").asText().startsWith(commonName(root) + " ("), reported::toString);
    }

    @Test
    void validateSignatures_namesTheRootAndSaysItIsNotPinnedInText() throws Exception {
        X509Certificate root = jdkChain(RawElf.certChain(hashSegment(RealImage.WPSS.path()))).getLast();

        CliRun run = CliRun.of("validate", "--signatures", RealImage.WPSS.path());

        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("; 3 certificates, test root \"" + commonName(root) + " ("), run::toString);
        assertTrue(run.out().contains("sha256 " + sha256(encoded(root)) + ", not pinned"), run::toString);
    }

    @ParameterizedTest
    @MethodSource("signedImages")
    void validateSignatures_acceptsTheRootAsAnchorByHashAndByFile(Signed image) throws Exception {
        X509Certificate root = jdkChain(RawElf.certChain(hashSegment(image.file()))).getLast();
        Path pem = tmp.resolve("root.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(encoded(root))
                + "\n-----END CERTIFICATE-----\n");

        CliRun byHash = CliRun.of("validate", "--root-sha256", sha256(encoded(root)), image.file());
        CliRun byFile = CliRun.of("validate", "--root-cert", pem, image.file());

        assertEquals(0, byHash.exit(), byHash::toString);
        assertTrue(byHash.out().contains("sha256 " + sha256(encoded(root)) + ", pinned\n"), byHash::toString);
        assertEquals(0, byFile.exit(), byFile::toString);
    }

    @Test
    void validateSignatures_rejectsAnotherImagesRootWithRootMismatch() throws Exception {
        Path venus = RealImage.VENUS.path();
        X509Certificate otherRoot = jdkChain(RawElf.certChain(hashSegment(RealImage.A650_ZAP.path()))).getLast();

        CliRun run = CliRun.of("validate", "--root-sha256", sha256(encoded(otherRoot)), venus);

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("is not the trust anchor " + sha256(encoded(otherRoot))), run::toString);
        assertTrue(run.err().contains("[root-mismatch]"), run::toString);
        // the chain itself holds and the signature verifies: only the root is not the pinned one
        assertTrue(run.out().contains("signature: chain verified, signature verified"), run::toString);
        assertTrue(run.out().contains(", NOT the pinned root\n"), run::toString);
    }

    @Test
    void validateSignatures_refusesAnAnchorThatIsNotAHash() {
        CliRun run = CliRun.of("validate", "--root-sha256", "abc", RealImage.VENUS.path());

        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("is not 64 hex digits"), run::toString);
    }

    @Test
    void validateSignatures_reportsTheUnsignedRealImagesAsUnsigned() {
        CliRun run = CliRun.of("validate", "--signatures", RealImage.M3_FW.path());
        CliRun certs = CliRun.of("certs", RealImage.Q6_FW.path());

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("segment 1: image has no signature and no certificate chain [unsigned]"), run::toString);
        assertEquals(1, certs.exit(), certs::toString);
        assertTrue(certs.err().contains("[unsigned]"), certs::toString);
    }

    @Test
    void validateSignatures_withAllowUnsigned_acceptsTheUnsignedRealImagesAndSaysSo() throws Exception {
        for (RealImage unsigned : List.of(RealImage.M3_FW, RealImage.Q6_FW)) {
            assertEquals(0, RawElf.signature(hashSegment(unsigned.path())).length, "no signature in " + unsigned.relative);

            CliRun text = CliRun.of("validate", "--signatures", "--allow-unsigned", unsigned.path());
            CliRun json = CliRun.of("validate", "--signatures", "--allow-unsigned", "--json", unsigned.path());

            assertEquals(0, text.exit(), text::toString);
            assertTrue(text.out().contains("  signature: unsigned (no signature and no certificate chain), allowed by --allow-unsigned"),
                    text::toString);
            assertEquals("", text.err(), text::toString);
            assertEquals(0, json.exit(), json::toString);
            JsonNode report = CliRun.result(json.out());
            assertTrue(report.get("valid").asBoolean(), json::toString);
            assertEquals("unsigned", report.at("/signature/status").asText(), json::toString);
            assertEquals(0, report.at("/signature/errors").size(), json::toString);
        }
    }

    @Test
    void validateSignatures_withAllowUnsigned_stillRejectsASignedImageThatDoesNotVerify() throws Exception {
        int signature = A650_HASH + RawElf.digestTableEnd(hashSegment(RealImage.A650_ZAP.path()));

        CliRun run = CliRun.of("validate", "--signatures", "--allow-unsigned", a650With(tmp, signature + 100, 0x40));

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("[signature-invalid]"), run::toString);
    }

    /** Byte positions inside a real a650_zap.mbn: its hash segment starts at 0x1000 (README / program header 1). */
    static final int A650_HASH = 0x1000;

    static Path a650With(Path dir, int offset, int xor) throws IOException {
        byte[] bytes = Files.readAllBytes(RealImage.A650_ZAP.path());
        bytes[offset] ^= (byte) xor;
        Path copy = dir.resolve("a650_zap.mbn");
        Files.write(copy, bytes);
        return copy;
    }

    @Test
    void validateSignatures_rejectsARealImageWhoseSignedHeaderChanged() throws Exception {
        // byte 0 is image_id: signed, but checked by nothing else
        CliRun run = CliRun.of("validate", "--signatures", a650With(tmp, A650_HASH, 1));

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("[signature-invalid]"), run::toString);
        assertTrue(run.err().lines().noneMatch(l -> l.contains("[digest-mismatch]")), run::toString);
    }

    @Test
    void validateSignatures_rejectsARealImageWhoseSignatureChanged() throws Exception {
        int signature = A650_HASH + RawElf.digestTableEnd(hashSegment(RealImage.A650_ZAP.path()));

        CliRun run = CliRun.of("validate", "--signatures", a650With(tmp, signature + 100, 0x40));

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("[signature-invalid]"), run::toString);
    }

    @Test
    void validateSignatures_rejectsARealImageWhoseCaCertificateChanged() throws Exception {
        byte[] hash = hashSegment(RealImage.A650_ZAP.path());
        byte[] chain = RawElf.certChain(hash);
        int ca = encoded(jdkChain(chain).getFirst()).length;
        int chainStart = A650_HASH + RawElf.digestTableEnd(hash) + RawElf.signature(hash).length;

        // 200 bytes into the CA certificate lies inside its signed part (subject / key)
        CliRun run = CliRun.of("validate", "--signatures", a650With(tmp, chainStart + ca + 200, 1));

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("[chain-invalid]"), run::toString);
    }

    @Test
    void validateSignatures_rejectsAChainWhosePaddingIsNotAllFf() throws Exception {
        byte[] hash = hashSegment(RealImage.A650_ZAP.path());
        int chainEnd = A650_HASH + RawElf.digestTableEnd(hash) + RawElf.signature(hash).length + RawElf.certChain(hash).length;

        CliRun run = CliRun.of("validate", "--signatures", a650With(tmp, chainEnd - 1, 0x0f));

        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("not 0xff padding [chain-invalid]"), run::toString);
    }

    static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        byte[] out = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
