package dev.mdtload.sign;

import dev.mdtload.signature.SignatureScheme;
import dev.mdtload.signature.SigningAttributes;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.jcajce.io.OutputStreamFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A throwaway certificate authority made on the spot, shaped like the ones that signed the real
 * images: root → CA → attestation, the attestation certificate carrying the Qualcomm OU fields
 * (SW_ID, HW_ID, DEBUG, OEM_ID, SW_SIZE, MODEL_ID, and the hash algorithm for the HMAC-style
 * scheme). Keys and certificate signatures follow the scheme as in the real chains: RSA-2048 with
 * SHA256withRSA (venus, mba), RSA-2048 with RSASSA-PSS (a650_zap), P-384 with SHA384withECDSA
 * (wpss). The keys live only in memory; only the root certificate is kept, so that images
 * signed with it can be verified. Certificates are built with Bouncy Castle, keys and
 * signatures made by the JDK.
 *
 * @param key the attestation key with its chain, ready to sign
 */
record TestCa(SigningKey key) {
    /** Named like the SecTools test roots; being throwaway, it is in no table of known roots and shows as unknown. */
    static final String ROOT_NAME = "mdtload Generated Test Root CA - NOT SECURE";
    static final Duration VALIDITY = Duration.ofDays(20 * 365);
    private static final SecureRandom RANDOM = new SecureRandom();

    public X509Certificate root() {
        return key.root();
    }

    /**
     * Makes a new CA and an attestation key for {@code scheme}, the attestation certificate
     * carrying {@code attributes} as OU fields. Each certificate is signed as in the real chains of
     * that scheme, which is also how a verifier tells the two RSA schemes apart.
     */
    public static TestCa generate(SignatureScheme scheme, SigningAttributes.OuFields attributes) throws GeneralSecurityException {
        KeyPair rootKeys = keys(scheme);
        KeyPair caKeys = keys(scheme);
        KeyPair attestationKeys = keys(scheme);
        X500Name rootName = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US").addRDN(BCStyle.O, "mdtload")
                .addRDN(BCStyle.OU, "General Use Test Key (for testing only)")
                .addRDN(BCStyle.CN, ROOT_NAME).build();
        X500Name caName = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US").addRDN(BCStyle.O, "mdtload")
                .addRDN(BCStyle.CN, "mdtload Generated Test Attestation CA").build();
        X500NameBuilder attestationName = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "US").addRDN(BCStyle.O, "mdtload").addRDN(BCStyle.CN, "mdtload Test User");
        for (SigningAttributes.OuField f : attributes.fields()) {
            attestationName.addRDN(BCStyle.OU, f.text());
        }
        X509Certificate root = certificate(scheme, rootName, rootName, rootKeys.getPublic(), rootKeys, true);
        X509Certificate ca = certificate(scheme, caName, rootName, caKeys.getPublic(), rootKeys, true);
        X509Certificate attestation = certificate(scheme, attestationName.build(), caName, attestationKeys.getPublic(),
                caKeys, false);
        return new TestCa(new SigningKey(attestationKeys.getPrivate(), List.of(attestation, ca, root), scheme, attributes));
    }

    private static KeyPair keys(SignatureScheme scheme) throws GeneralSecurityException {
        if (scheme == SignatureScheme.ECDSA_P384) {
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp384r1"));
            return ec.generateKeyPair();
        }
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return rsa.generateKeyPair();
    }

    /**
     * Signs certificates as each real chain of that scheme is signed. Bouncy Castle encodes the
     * certificate and its algorithm identifier; the JDK makes the signature (BC's own lookup asks
     * the JDK for a PSS algorithm name the JDK does not have).
     */
    private static ContentSigner certificateSigner(SignatureScheme scheme, PrivateKey key) throws GeneralSecurityException {
        String bcName;
        Signature jdk;
        switch (scheme) {
            case RSA_PKCS1_QCOM_HMAC -> {
                bcName = "SHA256withRSA";
                jdk = Signature.getInstance("SHA256withRSA");
            }
            case RSASSA_PSS -> {
                bcName = "SHA256withRSAandMGF1";
                jdk = Signature.getInstance("RSASSA-PSS");
                jdk.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32,
                        PSSParameterSpec.TRAILER_FIELD_BC));
            }
            case ECDSA_P384 -> {
                bcName = "SHA384withECDSA";
                jdk = Signature.getInstance("SHA384withECDSA");
            }
            default -> throw new AssertionError(scheme);
        }
        jdk.initSign(key);
        AlgorithmIdentifier id = new DefaultSignatureAlgorithmIdentifierFinder().find(bcName);
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return id;
            }

            @Override
            public OutputStream getOutputStream() {
                return OutputStreamFactory.createStream(jdk);
            }

            @Override
            public byte[] getSignature() {
                try {
                    return jdk.sign();
                } catch (SignatureException e) {
                    throw new IllegalStateException("signing a test certificate failed: " + e.getMessage(), e);
                }
            }
        };
    }

    private static X509Certificate certificate(SignatureScheme scheme, X500Name subject, X500Name issuer, PublicKey key,
                                               KeyPair issuerKeys, boolean isCa)
            throws GeneralSecurityException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, key);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(certificateSigner(scheme, issuerKeys.getPrivate())));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot build a test certificate: " + e.getMessage(), e);
        }
    }
}
