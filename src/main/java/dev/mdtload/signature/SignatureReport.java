package dev.mdtload.signature;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mdtload.check.Violation;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict of {@code validate --signatures} on one image, in one of four shapes by how far the
 * check got: nothing signed could be read; the hash segment was read but held no chain to check;
 * a chain was decoded but no one scheme can be named; or the signature was checked with one scheme.
 * Each shape has exactly the JSON fields it knows, in the order {@code status, mbn_version,
 * signed_length, scheme, scheme_basis, chain_length, root, summary, errors}.
 */
public sealed interface SignatureReport {
    Status status();

    /** One line for people. */
    String summary();

    /** Every rule broken; empty exactly when {@code status} is VERIFIED, or UNSIGNED and allowed. */
    List<Violation> errors();

    /** The OEM chain's root, once a chain was decoded. */
    default Optional<Root> chainRoot() {
        return Optional.empty();
    }

    /** The summary, with the chain's length and root once one was decoded. */
    default String describe() {
        return summary();
    }

    /** No hash segment, or one that cannot be read: nothing signed to look at. */
    record Unread(Status status, String summary, List<Violation> errors) implements SignatureReport {
        public Unread {
            errors = List.copyOf(errors);
        }
    }

    /**
     * The hash segment was read, but there is no signature and chain to check: missing, or a chain that cannot be decoded.
     *
     * @param signedLength the signed bytes: hash segment bytes 0 up to this offset
     */
    record Unchained(Status status, int mbnVersion, long signedLength, String summary, List<Violation> errors)
            implements SignatureReport {
        public Unchained {
            errors = List.copyOf(errors);
        }
    }

    /** A report whose OEM chain was decoded. */
    sealed interface Chained extends SignatureReport {
        int chainLength();

        /** The OEM chain's root, what the table knows of it and whether it was pinned. */
        Root root();

        @Override
        default Optional<Root> chainRoot() {
            return Optional.of(root());
        }

        @Override
        default String describe() {
            return summary() + "; " + chainLength() + " certificates, " + root().describe();
        }
    }

    /**
     * A chain, but no one scheme to name: the attestation key fits none, or it fits several and none verified.
     *
     * @param schemeBasis why no scheme: the attestation key and how its certificate is signed
     */
    record Unnamed(Status status, int mbnVersion, long signedLength, String schemeBasis, int chainLength, Root root,
                   String summary, List<Violation> errors) implements Chained {
        public Unnamed {
            Objects.requireNonNull(root, "root");
            errors = List.copyOf(errors);
        }
    }

    /**
     * The signature checked with one scheme.
     *
     * @param scheme      the scheme the signature verified with, or, when invalid, the only one it was checked against
     * @param schemeBasis why that scheme: the attestation key and how its certificate is signed
     */
    record Checked(Status status, int mbnVersion, long signedLength, SignatureScheme scheme, String schemeBasis,
                   int chainLength, Root root, String summary, List<Violation> errors) implements Chained {
        public Checked {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(root, "root");
            errors = List.copyOf(errors);
        }
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
