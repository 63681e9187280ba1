package dev.mdtload.signature;

import dev.mdtload.check.Rule;
import dev.mdtload.failure.InvalidInput;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A certificate chain as the hash segment stores it: DER certificates back to back, the
 * attestation certificate first, then the CA(s), then the root, padded with 0xff to the size of
 * the field.
 *
 * @param certificates attestation first, root last
 * @param padding      the 0xff bytes after the last certificate
 */
public record CertificateChain(List<X509Certificate> certificates, int padding) {
    private static final int SEQUENCE = 0x30;
    private static final int PAD = 0xff;

    public CertificateChain {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a chain has at least one certificate");
        }
    }

    /** The chain field could not be read as DER certificates followed by padding. */
    private static InvalidInput malformed(String message) {
        return new InvalidInput(Rule.CHAIN_INVALID.id(), message);
    }

    /** Decodes {@code field}, the whole certificate-chain field of a hash segment. */
    public static CertificateChain parse(byte[] field) throws InvalidInput {
        List<X509Certificate> certificates = new ArrayList<>();
        int at = 0;
        while (at < field.length && Byte.toUnsignedInt(field[at]) == SEQUENCE) {
            int length = derLength(field, at);
            certificates.add(decode(Arrays.copyOfRange(field, at, at + length), certificates.size(), at));
            at += length;
        }
        if (certificates.isEmpty()) {
            throw malformed("certificate chain field holds no DER certificate (first byte 0x"
                    + (field.length == 0 ? "--" : HexFormat.of().toHexDigits(field[0])) + ")");
        }
        for (int i = at; i < field.length; i++) {
            if (Byte.toUnsignedInt(field[i]) != PAD) {
                throw malformed(String.format(
                        "byte %d after the last certificate (which ends at %d) is 0x%02x, not 0xff padding",
                        i, at, field[i]));
            }
        }
        return new CertificateChain(certificates, field.length - at);
    }

    /** Total length (header + content) of the DER SEQUENCE at {@code at}, checked to lie inside {@code field}. */
    private static int derLength(byte[] field, int at) throws InvalidInput {
        if (at + 2 > field.length) {
            throw malformed("certificate at byte " + at + " is cut off after its tag");
        }
        int first = Byte.toUnsignedInt(field[at + 1]);
        long content;
        int header;
        if (first < 0x80) {
            content = first;
            header = 2;
        } else {
            int n = first & 0x7f;
            // a certificate over 16 MiB or an indefinite length cannot be a chain entry
            if (n == 0 || n > 3 || at + 2 + n > field.length) {
                throw malformed(String.format("certificate at byte %d has an unusable DER length (0x%02x)", at, first));
            }
            content = 0;
            for (int i = 0; i < n; i++) {
                content = (content << 8) | Byte.toUnsignedInt(field[at + 2 + i]);
            }
            header = 2 + n;
        }
        if (at + header + content > field.length) {
            throw malformed(String.format(
                    "certificate at byte %d claims %d bytes, past the end of the %d-byte chain field",
                    at, header + content, field.length));
        }
        return (int) (header + content);
    }

    private static X509Certificate decode(byte[] der, int index, int at) throws InvalidInput {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw malformed("certificate " + index + " at byte " + at + " is not X.509: " + e.getMessage());
        }
    }

    public X509Certificate attestation() {
        return certificates.getFirst();
    }

    public X509Certificate root() {
        return certificates.getLast();
    }

    /**
     * Every link's problem, empty when the chain holds: each certificate names the next as its
     * issuer and is signed by its key, and the root names and signs itself. Validity dates are
     * reported, not enforced: the boot ROM that checks these chains has no clock.
     */
    public List<String> linkProblems() {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            X509Certificate cert = certificates.get(i);
            boolean isRoot = i == certificates.size() - 1;
            X509Certificate issuer = isRoot ? cert : certificates.get(i + 1);
            String who = isRoot ? "root certificate " + i : "certificate " + i;
            if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                problems.add(who + " is issued by \"" + cert.getIssuerX500Principal() + "\", not by "
                        + (isRoot ? "itself" : "certificate " + (i + 1) + " \"" + issuer.getSubjectX500Principal() + "\""));
                continue;
            }
            try {
                cert.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                problems.add(who + " is not signed by the key of " + (isRoot ? "itself" : "certificate " + (i + 1))
                        + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /** SHA-256 of a certificate's DER: what an OEM public-key-hash fuse holds for the root. */
    public static byte[] sha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            // SHA-256 is mandatory on every Java platform, and a parsed certificate re-encodes its own DER
            throw new AssertionError(e);
        }
    }
}
