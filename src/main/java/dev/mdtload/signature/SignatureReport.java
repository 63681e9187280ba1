package dev.mdtload.signature;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mdtload.check.Violation;

import java.util.List;
import java.util.Locale;

/**
 * The verdict of {@code validate --signatures} on one image.
 *
 * @param scheme       the scheme the signature verified with (or, when invalid, was checked against); null when unknown
 * @param schemeBasis  why that scheme: established by the real images for this version, or declared by the signer
 * @param signedLength the signed bytes: hash segment bytes 0 up to this offset
 * @param rootMatchesAnchor null when no trust anchor was given
 * @param summary      one line for people
 * @param errors       every rule broken; empty exactly when {@code status} is VERIFIED
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignatureReport(Status status, Integer mbnVersion, Long signedLength, SignatureScheme scheme,
                              String schemeBasis, Integer chainLength, CertificateChain.RootKind rootKind,
                              String rootSha256, Boolean rootMatchesAnchor, String summary, List<Violation> errors) {

    public SignatureReport {
        errors = List.copyOf(errors);
    }

    public enum Status {
        /** Chain verified (to the anchor, when one was given) and the signature verified. */
        VERIFIED,
        /** Something that was checked failed. */
        INVALID,
        /** Nothing failed, but no real image establishes how this version is signed. */
        SCHEME_UNKNOWN,
        /** No signature or no certificate chain to check. */
        UNSIGNED;

        /** The kebab-case name, as JSON and messages show it. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
