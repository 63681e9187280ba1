package dev.mdtload.signature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The root a chain must end in, given as what an OEM public-key-hash fuse holds: the SHA-256 of
 * the root certificate's DER.
 *
 * @param source where it came from, for messages ("--root-sha256", or the certificate file)
 */
public record TrustAnchor(byte[] rootSha256, String source) implements RootRequirement {
    public TrustAnchor {
        if (rootSha256.length != 32) {
            throw new IllegalArgumentException("a root SHA-256 is 32 bytes, not " + rootSha256.length);
        }
        rootSha256 = rootSha256.clone();
    }

    /** From 64 hex digits (colons and spaces, as openssl prints fingerprints, are ignored). */
    public static TrustAnchor ofHex(String hex) {
        String digits = hex.replaceAll("[:\\s]", "");
        if (!digits.matches("[0-9A-Fa-f]{64}")) {
            throw new IllegalArgumentException("root SHA-256 \"" + hex + "\" is not 64 hex digits");
        }
        return new TrustAnchor(HexFormat.of().parseHex(digits), "--root-sha256");
    }

    /** From a root certificate file, PEM or DER. */
    public static TrustAnchor ofCertificateFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            X509Certificate root = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new TrustAnchor(CertificateChain.sha256(root), file.toString());
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + ": not an X.509 certificate (PEM or DER): " + e.getMessage(), e);
        }
    }

    public boolean matches(X509Certificate root) {
        return Arrays.equals(rootSha256, CertificateChain.sha256(root));
    }

    @Override
    public SignatureReport.Pinning pinning(X509Certificate root) {
        return matches(root) ? SignatureReport.Pinning.PINNED : SignatureReport.Pinning.MISMATCH;
    }

    public String hex() {
        return HexFormat.of().formatHex(rootSha256);
    }
}
