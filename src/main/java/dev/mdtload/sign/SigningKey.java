package dev.mdtload.sign;

import dev.mdtload.mbn.Signer;
import dev.mdtload.signature.SignatureScheme;
import dev.mdtload.signature.SigningAttributes;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * A private key with its certificate chain (attestation first, root last) and the scheme it
 * signs with: the {@link Signer} {@code ImageAssembler} calls to sign a hash segment.
 *
 * @param attributes the ids the scheme mixes in (SW_ID and HW_ID for the HMAC-style scheme)
 */
record SigningKey(PrivateKey key, List<X509Certificate> chain, SignatureScheme scheme,
                         SigningAttributes attributes) implements Signer {

    /** The chain field of every real image is 6 KiB, padded with 0xff. */
    static final int CHAIN_FIELD = 6144;
    /** A chain longer than that is padded to a multiple of 16 bytes, as qtestsign does. */
    static final int CHAIN_ALIGN = 16;

    public SigningKey {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a signing key needs at least its attestation certificate");
        }
        if (!scheme.suits(chain.getFirst().getPublicKey())) {
            throw new IllegalArgumentException(scheme.id() + " cannot sign with a "
                    + chain.getFirst().getPublicKey().getAlgorithm() + " key");
        }
    }

    public X509Certificate root() {
        return chain.getLast();
    }

    @Override
    public int signatureSize() {
        return scheme.signatureSize(chain.getFirst().getPublicKey());
    }

    @Override
    public byte[] certChain() {
        ByteArrayOutputStream der = new ByteArrayOutputStream();
        for (X509Certificate c : chain) {
            try {
                der.writeBytes(c.getEncoded());
            } catch (CertificateEncodingException e) {
                // a certificate that was decoded or built here encodes again
                throw new IllegalStateException("certificate " + c.getSubjectX500Principal() + " cannot be encoded", e);
            }
        }
        int length = der.size();
        int field = length <= CHAIN_FIELD ? CHAIN_FIELD : (length + CHAIN_ALIGN - 1) / CHAIN_ALIGN * CHAIN_ALIGN;
        byte[] out = Arrays.copyOf(der.toByteArray(), field);
        Arrays.fill(out, length, field, (byte) 0xff);
        return out;
    }

    @Override
    public byte[] sign(byte[] signedBytes) {
        try {
            return scheme.sign(key, signedBytes, attributes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + scheme.id() + " failed: " + e.getMessage(), e);
        }
    }
}
