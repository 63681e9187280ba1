package dev.mdtload.signature;

import dev.mdtload.testing.RawElf;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evidence behind docs/signatures.md, computed with the JDK alone and none of mdtload's
 * signature code: for each real signed image, which bytes are signed and how. Each test also
 * shows that one byte more or less of the hash segment does not verify, which pins the range.
 */
class SignatureEvidenceTest {
    record Parts(byte[] hash, int tableEnd, byte[] signature, X509Certificate attestation) {
        byte[] signed(int delta) {
            return Arrays.copyOf(hash, tableEnd + delta);
        }
    }

    static Parts parts(RealImage image) throws Exception {
        byte[] hash = image.raw().hashSegment();
        return new Parts(hash, RawElf.digestTableEnd(hash), RawElf.signature(hash),
                RealSignaturesTest.jdkChain(RawElf.certChain(hash)).getFirst());
    }

    /** SHA256(so ‖ SHA256(si ‖ SHA256(m))), si = SW_ID ^ 0x36.., so = HW_ID ^ 0x5c.., 8 big-endian bytes each. */
    static byte[] qualcommHmac(byte[] m, long swId, long hwId) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] inner = sha.digest(m);
        byte[] middle = sha.digest(concat(ByteBuffer.allocate(8).putLong(swId ^ 0x3636363636363636L).array(), inner));
        return sha.digest(concat(ByteBuffer.allocate(8).putLong(hwId ^ 0x5c5c5c5c5c5c5c5cL).array(), middle));
    }

    /** The RSA-decoded signature block: signature^e mod n, as many bytes as the modulus. */
    static byte[] rsaDecode(byte[] signature, RSAPublicKey key) {
        byte[] raw = new BigInteger(1, signature).modPow(key.getPublicExponent(), key.getModulus()).toByteArray();
        byte[] block = new byte[signature.length];
        int n = Math.min(raw.length, block.length);
        System.arraycopy(raw, raw.length - n, block, block.length - n, n);
        return block;
    }

    @ParameterizedTest
    @EnumSource(value = RealImage.class, names = {"VENUS", "MBA"})
    void v3Images_signAQualcommHmacOfHeaderAndDigestTableWithBarePkcs1Padding(RealImage image) throws Exception {
        Parts p = parts(image);
        long swId = RealSignaturesTest.ouField(p.attestation(), "SW_ID");
        long hwId = RealSignaturesTest.ouField(p.attestation(), "HW_ID");
        byte[] block = rsaDecode(p.signature(), (RSAPublicKey) p.attestation().getPublicKey());

        // 00 01 ff .. ff 00, then a bare 32-byte digest: no DigestInfo in between
        int digestAt = block.length - 32;
        assertEquals(0, block[0]);
        assertEquals(1, block[1]);
        for (int i = 2; i < digestAt - 1; i++) {
            assertEquals((byte) 0xff, block[i], "padding byte " + i);
        }
        assertEquals(0, block[digestAt - 1]);
        byte[] digest = Arrays.copyOfRange(block, digestAt, block.length);
        assertArrayEquals(qualcommHmac(p.signed(0), swId, hwId), digest);
        assertFalse(Arrays.equals(MessageDigest.getInstance("SHA-256").digest(p.signed(0)), digest),
                "not a plain SHA-256 of the signed bytes");
        assertFalse(Arrays.equals(qualcommHmac(p.signed(1), swId, hwId), digest));
        assertFalse(Arrays.equals(qualcommHmac(p.signed(-1), swId, hwId), digest));
        assertEquals(40 + 32 * image.phnum, p.tableEnd(), "v3 signs the 40-byte header and the SHA-256 table");
    }

    @Test
    void a650Zap_v6_signsHeaderMetadataAndDigestTableWithRsassaPss() throws Exception {
        Parts p = parts(RealImage.A650_ZAP);

        assertTrue(pss(p, p.signed(0)));
        assertFalse(pss(p, p.signed(1)));
        assertFalse(pss(p, p.signed(-1)));
        Signature pkcs1 = Signature.getInstance("SHA256withRSA");
        pkcs1.initVerify(p.attestation().getPublicKey());
        pkcs1.update(p.signed(0));
        assertFalse(pkcs1.verify(p.signature()), "not PKCS#1 v1.5");
        assertEquals(48 + 120 + 48 * 3, p.tableEnd(), "48-byte header, 120 bytes of OEM metadata, 3 SHA-384 digests");
    }

    @Test
    void wpss_v6_signsHeaderMetadataAndDigestTableWithEcdsaP384InA104ByteField() throws Exception {
        Parts p = parts(RealImage.WPSS);

        assertEquals(104, p.signature().length);
        assertEquals(0x30, p.signature()[0]);
        assertEquals(104, 2 + p.signature()[1], "this DER signature fills the field exactly");
        assertTrue(ecdsa(p, p.signed(0)));
        assertFalse(ecdsa(p, p.signed(1)));
        assertFalse(ecdsa(p, p.signed(-1)));
        assertEquals(48 + 120 + 48 * 9, p.tableEnd(), "48-byte header, 120 bytes of OEM metadata, 9 SHA-384 digests");
    }

    private static boolean pss(Parts p, byte[] signed) throws Exception {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        s.initVerify(p.attestation().getPublicKey());
        s.update(signed);
        return s.verify(p.signature());
    }

    private static boolean ecdsa(Parts p, byte[] signed) throws Exception {
        Signature s = Signature.getInstance("SHA384withECDSA");
        s.initVerify(p.attestation().getPublicKey());
        s.update(signed);
        return s.verify(p.signature(), 0, 2 + p.signature()[1]);
    }

    static byte[] concat(byte[] a, byte[] b) {
        return RealSignaturesTest.concat(a, b);
    }
}
