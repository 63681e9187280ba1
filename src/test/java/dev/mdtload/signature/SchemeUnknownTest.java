package dev.mdtload.signature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mdtload.cli.CliRun;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.mbn.Signer;
import dev.mdtload.testing.FixedSigner;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chain that holds, but whose attestation key is an EC P-256 key: no known scheme uses one, so
 * the signature is reported as of an unknown scheme (not as invalid), naming the key and the
 * schemes there are, for every MBN version.
 */
class SchemeUnknownTest {
    @TempDir
    Path tmp;

    /** A two-certificate P-256 chain (attestation, then a self-signed root), padded with 0xff. */
    static byte[] p256Chain(KeyPair attestation) throws Exception {
        KeyPair root = p256();
        X500Name rootName = new X500Name("CN=P-256 Test Root");
        X509Certificate rootCert = certificate(rootName, rootName, root, root);
        X509Certificate attestationCert = certificate(new X500Name("CN=P-256 Attestation"), rootName, attestation, root);
        byte[] a = attestationCert.getEncoded();
        byte[] r = rootCert.getEncoded();
        byte[] field = new byte[a.length + r.length + 64];
        Arrays.fill(field, (byte) 0xff);
        System.arraycopy(a, 0, field, 0, a.length);
        System.arraycopy(r, 0, field, a.length, r.length);
        return field;
    }

    private static X509Certificate certificate(X500Name subject, X500Name issuer, KeyPair subjectKeys, KeyPair issuerKeys)
            throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.ONE, Date.from(now), Date.from(now.plusSeconds(86400)),
                subject, subjectKeys.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        return ec.generateKeyPair();
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 6, 7})
    void aP256AttestationKeyLeavesTheSchemeUnknown(int version) throws Exception {
        byte[] chain = p256Chain(p256());
        // never checked: no known scheme could say how
        Signer signer = new FixedSigner(new byte[72], chain);
        Path image = tmp.resolve("p256-v" + version + ".mbn");
        ImageAssembler.builder().elfClass(ElfClass.ELF32).machine(ElfWriter.EM_QDSP6).mbnVersion(version)
                .hashAddress(0x8000_4000L).segments(List.of(new LoadSegment(0x8000_0000L, 0x8000_0000L, 5, new byte[64], 64)))
                .signer(signer).build().assemble().writeSquashed(image);

        CliRun run = CliRun.of("validate", "--signatures", "--json", image);

        assertEquals(1, run.exit(), run::toString);
        JsonNode signature = CliRun.result(run.out()).get("signature");
        assertEquals("scheme-unknown", signature.get("status").asText(), run::toString);
        assertEquals("EC (256 bits), its certificate signed with SHA256withECDSA", signature.get("scheme_basis").asText());
        assertEquals("unknown", signature.at("/root/kind").asText(), "a root in no table");
        assertEquals(1, signature.get("errors").size(), run::toString);
        JsonNode error = signature.get("errors").get(0);
        assertEquals("signature-scheme-unknown", error.get("rule").asText());
        assertTrue(error.get("message").asText().contains("an EC P-384 key (ecdsa-p384-sha384)"), error::toString);
    }
}
