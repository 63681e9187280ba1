package dev.mdtload.signature;

import dev.mdtload.failure.InvalidInput;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an image's OEM signature and certificate chain (and the QTI chain where there is one):
 * each certificate signed by the next, the root self-signed and, when a trust anchor is given,
 * the anchor; then the signature over the signed bytes (hash segment byte 0 to the end of the
 * digest table, for every MBN version).
 *
 * <p>The scheme follows the attestation certificate, not the header version: every signed image
 * of linux-firmware 20250410, v3, v5, v6 and v7 alike, verifies with the scheme its attestation
 * key and certificate point to (docs/signatures.md). Only a key no known scheme uses leaves the
 * scheme unknown.
 *
 * @param anchor         the root the chain must end in, or any self-signed root (reported as not pinned)
 * @param allowUnsigned  an image without a signature is reported unsigned without an error
 */
record SignatureVerifier(RootRequirement anchor, boolean allowUnsigned) {

    public SignatureReport verify(ImageSignature image) {
        Check check = new Check(image);
        Optional<ImageSignature.Signed> complete = image.oem()
                .filter(s -> s.signature().length > 0 && s.certChain().length > 0);
        if (complete.isEmpty()) {
            // an OEM part is kept only when it has a signature or a chain: the other one is missing
            String what = image.oem().map(s -> s.signature().length == 0
                            ? "a certificate chain but no signature" : "a signature but no certificate chain")
                    .orElse("no signature and no certificate chain");
            if (allowUnsigned && image.isUnsigned()) {
                return check.unchained(SignatureReport.Status.UNSIGNED, "unsigned (" + what + "), allowed by --allow-unsigned");
            }
            check.fail(Rule.UNSIGNED, "image has " + what);
            return check.unchained(SignatureReport.Status.UNSIGNED, what);
        }
        for (ImageSignature.Signed s : image.signed()) {
            if (s.authority() != ImageSignature.Authority.OEM) {
                // no image in linux-firmware carries a QTI signature to show what it covers: its chain is checked, not its signature
                check.chain(s);
            }
        }
        ImageSignature.Signed oem = complete.get();
        Optional<CertificateChain> decoded = check.chain(oem);
        if (decoded.isEmpty()) {
            return check.unchained(SignatureReport.Status.INVALID, "certificate chain cannot be decoded");
        }
        CertificateChain chain = decoded.get();
        SignatureReport.Root root = SignatureReport.Root.of(chain.root(), anchor);
        if (anchor instanceof TrustAnchor pinned && root.pinning() == SignatureReport.Pinning.MISMATCH) {
            check.fail(Rule.ROOT_MISMATCH, String.format("root certificate sha256 %s (%s) is not the trust anchor %s (%s)",
                    root.sha256(), root.label(), pinned.hex(), pinned.source()));
        }
        // a root that is not the pinned one is said beside the root, not as a broken chain
        String chainText = check.errors.stream().anyMatch(v -> v.rule() == Rule.CHAIN_INVALID) ? "chain invalid" : "chain verified";
        X509Certificate attestation = chain.attestation();
        List<SignatureScheme> schemes = SignatureScheme.candidates(attestation);
        String basis = basis(attestation);
        if (schemes.isEmpty()) {
            String text = chainText + ", signature scheme unknown";
            check.fail(Rule.SIGNATURE_SCHEME_UNKNOWN, text + ": the attestation key is " + basis
                    + "; the known schemes need an RSA key (" + SignatureScheme.RSA_PKCS1_QCOM_HMAC.id() + ", "
                    + SignatureScheme.RSASSA_PSS.id() + ") or an EC P-384 key (" + SignatureScheme.ECDSA_P384.id() + ")");
            return check.unnamed(check.errors.size() == 1 ? SignatureReport.Status.SCHEME_UNKNOWN : SignatureReport.Status.INVALID,
                    basis, chain, text, root);
        }
        PublicKey key = attestation.getPublicKey();
        SigningAttributes ou = SigningAttributes.fromOrganizationalUnits(CertificateInfo.organizationalUnits(attestation));
        List<String> failures = new ArrayList<>();
        for (SignatureScheme scheme : schemes) {
            try {
                scheme.verify(key, image.signedBytes(), oem.signature(), ou);
                return check.checked(check.errors.isEmpty() ? SignatureReport.Status.VERIFIED : SignatureReport.Status.INVALID,
                        scheme, basis, chain, chainText + ", signature verified (" + scheme.id() + ")", root);
            } catch (GeneralSecurityException e) {
                failures.add(scheme.id() + ": " + e.getMessage());
            }
        }
        check.fail(Rule.SIGNATURE_INVALID, "signature over hash-segment bytes 0.." + image.signedBytes().length
                + " does not verify with the attestation key (" + String.join("; ", failures) + ")");
        String text = chainText + ", signature invalid";
        // with several candidates, none of them is the scheme the signature was checked against
        return schemes.size() == 1 ? check.checked(SignatureReport.Status.INVALID, schemes.getFirst(), basis, chain, text, root)
                : check.unnamed(SignatureReport.Status.INVALID, basis, chain, text, root);
    }

    /** "RSA-2048, its certificate signed with RSASSA-PSS": what the scheme was chosen from. */
    static String basis(X509Certificate attestation) {
        return CertificateInfo.Key.of(attestation.getPublicKey()).text() + ", its certificate signed with "
                + attestation.getSigAlgName();
    }

    /** The violations found so far for one image, and how to turn them into a report. */
    private static final class Check {
        final ImageSignature image;
        final List<Violation> errors = new ArrayList<>();

        Check(ImageSignature image) {
            this.image = image;
        }

        void fail(Rule rule, String message) {
            errors.add(Violation.of(rule, image.file(), image.segment(), message));
        }

        /** Decodes and checks one authority's chain; empty when it cannot be decoded. */
        Optional<CertificateChain> chain(ImageSignature.Signed signed) {
            String who = signed.authority() + " ";
            try {
                CertificateChain chain = CertificateChain.parse(signed.certChain());
                for (String problem : chain.linkProblems()) {
                    fail(Rule.CHAIN_INVALID, who + problem);
                }
                return Optional.of(chain);
            } catch (InvalidInput e) {
                fail(Rule.CHAIN_INVALID, who + e.getMessage());
                return Optional.empty();
            }
        }

        SignatureReport unchained(SignatureReport.Status status, String summary) {
            return new SignatureReport.Unchained(status, image.version(), image.signedBytes().length, summary, errors);
        }

        SignatureReport unnamed(SignatureReport.Status status, String basis, CertificateChain chain, String summary,
                                SignatureReport.Root root) {
            return new SignatureReport.Unnamed(status, image.version(), image.signedBytes().length, basis,
                    chain.certificates().size(), root, summary, errors);
        }

        SignatureReport checked(SignatureReport.Status status, SignatureScheme scheme, String basis, CertificateChain chain,
                                String summary, SignatureReport.Root root) {
            return new SignatureReport.Checked(status, image.version(), image.signedBytes().length, scheme, basis,
                    chain.certificates().size(), root, summary, errors);
        }
    }
}
