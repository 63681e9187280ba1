package dev.mdtload.sign;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's signing key and certificate chain from PEM files. Problems with them are the
 * request's fault, so they surface as {@link IllegalArgumentException}s naming the file.
 */
final class KeyFiles {
    private KeyFiles() {}

    /** An unencrypted private key: PKCS#8 ("PRIVATE KEY") or OpenSSL's traditional RSA / EC form. */
    static PrivateKey privateKey(Path pem) throws IOException {
        try (Reader in = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(in)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (o) {
                // an OpenSSL EC key may leave out its public half, so only the private part is converted
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null -> throw new IllegalArgumentException(pem + ": no PEM private key in it");
                default -> throw new IllegalArgumentException(pem + ": " + o.getClass().getSimpleName()
                        + " is not an unencrypted private key (decrypt it first: openssl pkey -in KEY -out PLAIN)");
            };
        } catch (PEMException e) {
            throw new IllegalArgumentException(pem + ": not a usable private key: " + e.getMessage(), e);
        }
    }

    /** The certificates of {@code pem} in file order, which must be attestation first, root last. */
    static List<X509Certificate> chain(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(pem + ": no certificate in it");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(pem + ": not PEM or DER certificates: " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key, by signing and verifying a probe. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA384withECDSA" : "SHA256withRSA";
        try {
            byte[] probe = "mdtload key probe".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException mismatchedKinds) {
            return false;
        }
    }
}
