package dev.mdtload.signature;

import com.fasterxml.jackson.annotation.JsonValue;

import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * The ways the real images are signed over their signed bytes (the hash segment from byte 0 to
 * the end of the digest table). Which one applies follows the attestation key, not the header
 * version; docs/signatures.md has the evidence for each. Hashing, signing and verifying are the
 * JDK's.
 */
public enum SignatureScheme {
    /**
     * RSA PKCS#1 v1.5 type-1 padding around a bare 32-byte digest (no DigestInfo), the digest
     * being Qualcomm's HMAC-style SHA256(so ‖ SHA256(si ‖ SHA256(signed))) with si = SW_ID xor
     * 0x36.., so = HW_ID xor 0x5c.. as 8 big-endian bytes each. Every v3 image whose RSA
     * attestation certificate is PKCS#1 v1.5-signed (venus, mba, apq8016, apq8096).
     */
    RSA_PKCS1_QCOM_HMAC("rsa-pkcs1v15-qcom-hmac-sha256", key -> key instanceof RSAKey) {
        /** NONEwithRSA pads the message as PKCS#1 v1.5 type 1 without wrapping it in a DigestInfo. */
        @Override
        Signature engine() throws GeneralSecurityException {
            return Signature.getInstance("NONEwithRSA");
        }

        @Override
        byte[] message(byte[] signed, SigningAttributes attributes) throws SignatureException {
            return hmacDigest(signed, attributes);
        }
    },

    /**
     * RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt, directly over the signed bytes.
     * Every image whose RSA attestation certificate is PSS-signed: sdm845 v3 and v5, a650_zap and the other RSA v6 ones.
     */
    RSASSA_PSS("rsassa-pss-sha256", key -> key instanceof RSAKey) {
        @Override
        Signature engine() throws GeneralSecurityException {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32,
                    PSSParameterSpec.TRAILER_FIELD_BC));
            return s;
        }
    },

    /**
     * ECDSA on P-384 with SHA-384 directly over the signed bytes, the DER signature in a fixed
     * 104-byte field, zero-padded when shorter. Every P-384 image: wpss and the other v6 ones, all of v7.
     */
    ECDSA_P384("ecdsa-p384-sha384", SignatureScheme::isP384) {
        /** The longest DER ECDSA P-384 signature: SEQUENCE of two 49-byte INTEGERs. */
        static final int FIELD = 104;

        @Override
        public int signatureSize(PublicKey key) {
            return FIELD;
        }

        @Override
        Signature engine() throws GeneralSecurityException {
            return Signature.getInstance("SHA384withECDSA");
        }

        /**
         * Signs until the DER fills the field exactly, as 13 of the 37 real ones do, so that no
         * padding is needed at all (each try fills it with probability about 1/4).
         */
        @Override
        public byte[] sign(PrivateKey key, byte[] signed, SigningAttributes attributes) throws GeneralSecurityException {
            for (int attempt = 0; attempt < 1000; attempt++) {
                byte[] der = super.sign(key, signed, attributes);
                if (der.length == FIELD) {
                    return der;
                }
            }
            throw new SignatureException("no full-length ECDSA signature in 1000 attempts");
        }

        /** The DER signature at the start of the field; what follows it must be uniform padding. */
        @Override
        byte[] signature(byte[] field) throws SignatureException {
            if (field.length < 2 || Byte.toUnsignedInt(field[0]) != 0x30 || Byte.toUnsignedInt(field[1]) >= 0x80
                    || 2 + field[1] > field.length) {
                throw new SignatureException("signature field does not start with a DER SEQUENCE that fits in it");
            }
            int length = 2 + field[1];
            byte[] rest = Arrays.copyOfRange(field, length, field.length);
            if (!uniform(rest, (byte) 0) && !uniform(rest, (byte) 0xff)) {
                throw new SignatureException("bytes after the " + length + "-byte DER signature are not padding");
            }
            return Arrays.copyOf(field, length);
        }
    };

    /** The JDK's name for a certificate signed with RSASSA-PSS. */
    private static final String PSS_ALGORITHM = "RSASSA-PSS";

    private final String id;
    private final Predicate<PublicKey> keys;

    SignatureScheme(String id, Predicate<PublicKey> keys) {
        this.id = id;
        this.keys = keys;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** Whether a key of this kind can make this scheme's signatures. */
    public boolean suits(PublicKey key) {
        return keys.test(key);
    }

    /** Bytes of the signature field: the modulus size for RSA. */
    public int signatureSize(PublicKey key) {
        return (((RSAKey) key).getModulus().bitLength() + 7) / 8;
    }

    /** A fresh JDK signature engine for this scheme. */
    abstract Signature engine() throws GeneralSecurityException;

    /** What the engine signs: the signed bytes themselves, unless the scheme derives a digest from them. */
    byte[] message(byte[] signed, SigningAttributes attributes) throws SignatureException {
        return signed;
    }

    /** The signature inside its field: all of it, unless the scheme pads a shorter one. */
    byte[] signature(byte[] field) throws SignatureException {
        return field;
    }

    /** Signs {@code signed}; {@code attributes} supply the ids a scheme mixes in (null where none are needed). */
    public byte[] sign(PrivateKey key, byte[] signed, SigningAttributes attributes) throws GeneralSecurityException {
        Signature s = engine();
        s.initSign(key);
        s.update(message(signed, attributes));
        return s.sign();
    }

    /**
     * Verifies the signature {@code field} over {@code signed}.
     *
     * @throws SignatureException naming why it does not verify
     */
    public void verify(PublicKey key, byte[] signed, byte[] field, SigningAttributes attributes)
            throws GeneralSecurityException {
        byte[] signature = signature(field);
        Signature s = engine();
        s.initVerify(key);
        s.update(message(signed, attributes));
        if (!s.verify(signature)) {
            throw new SignatureException("the signature does not verify");
        }
    }

    public static Optional<SignatureScheme> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    /**
     * The schemes an attestation certificate's key can have signed with, the likeliest first: a
     * P-384 key signs with ECDSA; an RSA key with PSS when its own certificate is PSS-signed, with
     * the HMAC-style PKCS#1 v1.5 construction otherwise, as in every real image (docs/signatures.md).
     * Both RSA schemes are returned, because a chain from elsewhere need not follow that pairing.
     * Empty for any other key: no known scheme uses it.
     */
    public static List<SignatureScheme> candidates(X509Certificate attestation) {
        PublicKey key = attestation.getPublicKey();
        if (ECDSA_P384.suits(key)) {
            return List.of(ECDSA_P384);
        }
        if (!(key instanceof RSAKey)) {
            return List.of();
        }
        return PSS_ALGORITHM.equals(attestation.getSigAlgName())
                ? List.of(RSASSA_PSS, RSA_PKCS1_QCOM_HMAC) : List.of(RSA_PKCS1_QCOM_HMAC, RSASSA_PSS);
    }

    static boolean isP384(PublicKey key) {
        if (!(key instanceof ECKey ec)) {
            return false;
        }
        ECParameterSpec p384 = P384.SPEC;
        ECParameterSpec spec = ec.getParams();
        return spec.getCurve().equals(p384.getCurve()) && spec.getGenerator().equals(p384.getGenerator())
                && spec.getOrder().equals(p384.getOrder()) && spec.getCofactor() == p384.getCofactor();
    }

    /** The digest the RSA PKCS#1 v1.5 scheme signs; see {@link #RSA_PKCS1_QCOM_HMAC}. */
    static byte[] hmacDigest(byte[] signed, SigningAttributes attributes) throws SignatureException {
        OptionalLong swId = attributes.id(SigningAttributes.Id.SW_ID);
        OptionalLong hwId = attributes.id(SigningAttributes.Id.HW_ID);
        if (swId.isEmpty() || hwId.isEmpty()) {
            throw new SignatureException("the attestation certificate has no SW_ID and HW_ID OU fields,"
                    + " which the HMAC-style construction mixes in");
        }
        Optional<String> hash = attributes.hashAlgorithm().filter(h -> !h.equals("SHA256"));
        if (hash.isPresent()) {
            throw new SignatureException("OU hash algorithm " + hash.get()
                    + " is not SHA256, the only one the real images establish");
        }
        MessageDigest sha256 = sha256();
        byte[] inner = sha256.digest(signed);
        sha256.update(ByteBuffer.allocate(8).putLong(swId.getAsLong() ^ 0x3636363636363636L).array());
        byte[] middle = sha256.digest(inner);
        sha256.update(ByteBuffer.allocate(8).putLong(hwId.getAsLong() ^ 0x5c5c5c5c5c5c5c5cL).array());
        return sha256.digest(middle);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            // SHA-256 is mandatory on every Java platform
            throw new AssertionError(e);
        }
    }

    private static boolean uniform(byte[] bytes, byte value) {
        for (byte b : bytes) {
            if (b != value) {
                return false;
            }
        }
        return true;
    }

    /** The P-384 domain parameters, looked up once. */
    private static final class P384 {
        static final ECParameterSpec SPEC = lookUp();

        private static ECParameterSpec lookUp() {
            try {
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec("secp384r1"));
                return params.getParameterSpec(ECParameterSpec.class);
            } catch (GeneralSecurityException e) {
                // the JDK's SunEC provider always has secp384r1
                throw new AssertionError(e);
            }
        }
    }
}
