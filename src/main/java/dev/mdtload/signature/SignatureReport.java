package dev.mdtload.signature;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mdtload.check.Violation;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The verdict of {@code validate --signatures} on one image.
 *
 * @param scheme       the scheme the signature verified with (or, when invalid, was checked against); null when unknown
 * @param schemeBasis  why that scheme: the attestation key and how its certificate is signed
 * @param signedLength the signed bytes: hash segment bytes 0 up to this offset
 * @param root         the OEM chain's root, what the table knows of it and whether it was pinned; null without a chain
 * @param summary      one line for people
 * @param errors       every rule broken; empty exactly when {@code status} is VERIFIED, or UNSIGNED and allowed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignatureReport(Status status, Integer mbnVersion, Long signedLength, SignatureScheme scheme,
                              String schemeBasis, Integer chainLength, Root root, String summary, List<Violation> errors) {

    public SignatureReport {
        errors = List.copyOf(errors);
    }

    public enum Status {
        /** Chain verified (to the anchor, when one was given) and the signature verified. */
        VERIFIED,
        /** Something that was checked failed. */
        INVALID,
        /** The chain holds, but the attestation key is of a kind no known scheme uses. */
        SCHEME_UNKNOWN,
        /** No signature or no certificate chain to check. */
        UNSIGNED;

        /** The kebab-case name, as JSON and messages show it. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Whether the root was checked against one the user gave (--root-cert / --root-sha256). */
    public enum Pinning {
        /** No root was given: any self-signed root is accepted, and the report names it. */
        NOT_PINNED,
        /** The root is the one given. */
        PINNED,
        /** The root is not the one given: root-mismatch. */
        MISMATCH;

        /** The kebab-case name, as JSON and messages show it. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A chain's root as the report names it.
     *
     * @param sha256 of the root certificate's DER: what an OEM public-key-hash fuse holds
     * @param label  from {@link KnownRoots}, "unknown" for a root not in it
     */
    public record Root(String sha256, String label, KnownRoots.Kind kind, Pinning pinning) {
        static Root of(X509Certificate root, RootRequirement required) {
            KnownRoots.Root known = KnownRoots.of(root);
            return new Root(HexFormat.of().formatHex(CertificateChain.sha256(root)), known.label(), known.kind(),
                    required.pinning(root));
        }

        /** "test root "label" sha256 HEX, not pinned" and the like. */
        public String describe() {
            String pin = switch (pinning) {
                case NOT_PINNED -> "not pinned (--root-sha256 pins it)";
                case PINNED -> "pinned";
                case MISMATCH -> "NOT the pinned root";
            };
            return kind.id() + " root \"" + label + "\" sha256 " + sha256 + ", " + pin;
        }
    }
}
