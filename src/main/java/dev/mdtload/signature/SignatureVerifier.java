package dev.mdtload.signature;

import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Checks an image's OEM signature and certificate chain (and the QTI chain where there is one):
 * each certificate signed by the next, the root self-signed and, when a trust anchor is given,
 * the anchor; then the signature over the signed bytes with the scheme the evidence establishes.
 *
 * <p>MBN versions 3 and 6 have real signed images (docs/signatures.md), so for them the scheme
 * follows the attestation key: P-384 → ECDSA, RSA → the HMAC-style PKCS#1 v1.5 construction or
 * PSS, whichever the signature is. No real image establishes what is signed in v5 or v7, or how;
 * for those only a scheme the signer declares (mdtload's own test signatures do) is used, and
 * otherwise the verdict says the scheme is unknown instead of guessing.
 *
 * @param anchor the root the chain must end in; null to accept any self-signed root
 */
public record SignatureVerifier(TrustAnchor anchor) {
    /** The versions with a real signed image in ../shared/firmware: venus and mba (v3), a650_zap and wpss (v6). */
    public static final Set<Integer> ESTABLISHED_VERSIONS = Set.of(3, 6);

    public SignatureReport verify(ImageSignature image) {
        Check check = new Check(image);
        ImageSignature.Signed oem = image.oem();
        if (oem == null || oem.signature().length == 0 || oem.certChain().length == 0) {
            String what = oem == null ? "no signature and no certificate chain"
                    : oem.signature().length == 0 ? "a certificate chain but no signature" : "a signature but no certificate chain";
            check.fail(Rule.UNSIGNED, "image has " + what);
            return check.report(SignatureReport.Status.UNSIGNED, null, null, null, what);
        }
        for (ImageSignature.Signed s : image.signed()) {
            if (s.authority() != ImageSignature.Authority.OEM) {
                // what a QTI signature covers is not established by any real image: its chain is checked, not its signature
                check.chain(s);
            }
        }
        CertificateChain chain = check.chain(oem);
        if (chain == null) {
            return check.report(SignatureReport.Status.INVALID, null, null, null, "certificate chain cannot be decoded");
        }
        Boolean anchored = null;
        if (anchor != null) {
            anchored = anchor.matches(chain.root());
            if (!anchored) {
                check.fail(Rule.ROOT_MISMATCH, String.format("root certificate sha256 %s is not the trust anchor %s (%s)",
                        HexFormat.of().formatHex(CertificateChain.sha256(chain.root())), anchor.hex(), anchor.source()));
            }
        }
        String chainText = check.errors.isEmpty() ? "chain verified" : "chain invalid";
        Choice choice = choose(image.version(), chain.attestation());
        if (choice == null) {
            String text = chainText + ", signature scheme unknown for v" + image.version();
            check.fail(Rule.SIGNATURE_SCHEME_UNKNOWN, text
                    + ": no real image establishes which bytes v" + image.version() + " signs or how");
            return check.report(check.errors.size() == 1 ? SignatureReport.Status.SCHEME_UNKNOWN : SignatureReport.Status.INVALID,
                    null, null, chain, text, anchored);
        }
        PublicKey key = chain.attestation().getPublicKey();
        SigningAttributes ou = SigningAttributes.fromOrganizationalUnits(CertificateInfo.organizationalUnits(chain.attestation()));
        List<String> failures = new ArrayList<>();
        for (SignatureScheme scheme : choice.schemes()) {
            try {
                scheme.verify(key, image.signedBytes(), oem.signature(), ou);
                return check.report(check.errors.isEmpty() ? SignatureReport.Status.VERIFIED : SignatureReport.Status.INVALID,
                        scheme, choice.basis(), chain, chainText + ", signature verified (" + scheme.id() + ")", anchored);
            } catch (GeneralSecurityException e) {
                failures.add(scheme.id() + ": " + e.getMessage());
            }
        }
        check.fail(Rule.SIGNATURE_INVALID, "signature over hash-segment bytes 0.." + image.signedBytes().length
                + " does not verify with the attestation key (" + String.join("; ", failures) + ")");
        SignatureScheme tried = choice.schemes().size() == 1 ? choice.schemes().getFirst() : null;
        return check.report(SignatureReport.Status.INVALID, tried, choice.basis(), chain,
                chainText + ", signature invalid", anchored);
    }

    /** The schemes to verify with and why they apply, or null when nothing establishes one. */
    record Choice(List<SignatureScheme> schemes, String basis) {}

    static Choice choose(int version, X509Certificate attestation) {
        var declared = SignatureScheme.declaredBy(attestation);
        if (declared.isPresent()) {
            return new Choice(List.of(declared.get()), "declared by the attestation certificate (mdtload test signing)");
        }
        if (!ESTABLISHED_VERSIONS.contains(version)) {
            return null;
        }
        PublicKey key = attestation.getPublicKey();
        List<SignatureScheme> suited = Arrays.stream(SignatureScheme.values()).filter(s -> s.suits(key)).toList();
        return suited.isEmpty() ? null : new Choice(suited, "established by the real v" + version + " images for an "
                + key.getAlgorithm() + " attestation key");
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

        /** Decodes and checks one authority's chain; null when it cannot be decoded. */
        CertificateChain chain(ImageSignature.Signed signed) {
            String who = signed.authority() + " ";
            try {
                CertificateChain chain = CertificateChain.parse(signed.certChain());
                for (String problem : chain.linkProblems()) {
                    fail(Rule.CHAIN_INVALID, who + problem);
                }
                return chain;
            } catch (CertificateChain.MalformedChainException e) {
                fail(Rule.CHAIN_INVALID, who + e.getMessage());
                return null;
            }
        }

        SignatureReport report(SignatureReport.Status status, SignatureScheme scheme, String basis,
                               CertificateChain chain, String summary) {
            return report(status, scheme, basis, chain, summary, null);
        }

        SignatureReport report(SignatureReport.Status status, SignatureScheme scheme, String basis,
                               CertificateChain chain, String summary, Boolean anchored) {
            return new SignatureReport(status, image.version(), (long) image.signedBytes().length, scheme, basis,
                    chain == null ? null : chain.certificates().size(), chain == null ? null : chain.rootKind(),
                    chain == null ? null : HexFormat.of().formatHex(CertificateChain.sha256(chain.root())),
                    anchored, summary, errors);
        }
    }
}
