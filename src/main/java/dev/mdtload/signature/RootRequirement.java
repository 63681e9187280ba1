package dev.mdtload.signature;

import java.security.cert.X509Certificate;

/**
 * Which root a certificate chain must end in: a pinned {@link TrustAnchor}, or any self-signed
 * root, which the report then calls not pinned.
 */
public sealed interface RootRequirement permits TrustAnchor, RootRequirement.AnySelfSigned {
    /** No root pinned: a chain ending in any self-signed root verifies. */
    RootRequirement ANY = new AnySelfSigned();

    /** How {@code root}, the self-signed end of a chain, stands to this requirement. */
    SignatureReport.Pinning pinning(X509Certificate root);

    /** Any self-signed root: nothing to pin against. */
    record AnySelfSigned() implements RootRequirement {
        @Override
        public SignatureReport.Pinning pinning(X509Certificate root) {
            return SignatureReport.Pinning.NOT_PINNED;
        }
    }
}
