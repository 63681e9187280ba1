package dev.mdtload.signature;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * One certificate of a chain as {@code mdtload certs} shows it.
 *
 * @param role       "attestation" (signs the image), "ca" or "root"
 * @param keyType    "RSA", "EC P-384" or "EC"
 * @param keySize    modulus or field size in bits
 * @param sha256     of the certificate's DER; for the root, what an OEM public-key-hash fuse holds
 * @param attributes the Qualcomm OU fields decoded; unstated (and left out of the JSON) when the certificate has none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateInfo(int index, String role, String subject, String issuer, String keyType, int keySize,
                              String signatureAlgorithm, String notBefore, String notAfter, String sha256,
                              List<String> organizationalUnits,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) SigningAttributes attributes) {

    public CertificateInfo {
        organizationalUnits = List.copyOf(organizationalUnits);
    }

    public static CertificateInfo of(X509Certificate c, int index, int count) {
        String role = index == count - 1 ? "root" : index == 0 ? "attestation" : "ca";
        List<String> ous = organizationalUnits(c);
        Key key = Key.of(c.getPublicKey());
        return new CertificateInfo(index, role, c.getSubjectX500Principal().getName(X500Principal.RFC2253),
                c.getIssuerX500Principal().getName(X500Principal.RFC2253), key.type(), key.size(), c.getSigAlgName(),
                c.getNotBefore().toInstant().toString(), c.getNotAfter().toInstant().toString(),
                HexFormat.of().formatHex(CertificateChain.sha256(c)), ous, SigningAttributes.fromOrganizationalUnits(ous));
    }

    /** A public key's kind and size, as the report shows them. */
    record Key(String type, int size) {
        static Key of(PublicKey key) {
            return switch (key) {
                case RSAKey rsa -> new Key("RSA", rsa.getModulus().bitLength());
                case ECKey ec -> new Key(SignatureScheme.isP384(key) ? "EC P-384" : "EC",
                        ec.getParams().getCurve().getField().getFieldSize());
                default -> new Key(key.getAlgorithm(), 0);
            };
        }

        /** "RSA-2048", "EC P-384", "EC (256 bits)". */
        String text() {
            return type.equals("RSA") ? "RSA-" + size : type.equals("EC") ? "EC (" + size + " bits)" : type;
        }
    }

    /** The subject's OU values in the order the certificate holds them. */
    public static List<String> organizationalUnits(X509Certificate c) {
        List<String> ous = new ArrayList<>();
        for (RDN rdn : X500Name.getInstance(c.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.OU)) {
            for (AttributeTypeAndValue tv : rdn.getTypesAndValues()) {
                if (tv.getType().equals(BCStyle.OU) && tv.getValue() instanceof ASN1String s) {
                    ous.add(s.getString());
                }
            }
        }
        return ous;
    }
}
