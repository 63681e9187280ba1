package dev.mdtload.sign;

import dev.mdtload.failure.Failure;
import dev.mdtload.address.Page;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.files.AtomicFile;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.ImageSegment;
import dev.mdtload.image.Validator;
import dev.mdtload.mbn.Assembled;
import dev.mdtload.mbn.DigestAlgorithm;
import dev.mdtload.mbn.HashSegment;
import dev.mdtload.mbn.ImageAssembler;
import dev.mdtload.mbn.LoadSegment;
import dev.mdtload.signature.CertificateChain;
import dev.mdtload.signature.CertificateInfo;
import dev.mdtload.signature.SignatureScheme;
import dev.mdtload.signature.SigningAttributes;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Turns an ELF into a signed PIL image: its loadable segments laid out by {@link ImageAssembler}
 * behind the headers placeholder and a hash segment of the requested MBN version, signed with a
 * throwaway test CA made on the spot or with the user's key and chain.
 *
 * <p>Which scheme signs which version (docs/signatures.md): v3 and v5 the HMAC-style RSA PKCS#1
 * v1.5 construction of the real v3 images; v6 and v7 ECDSA P-384 as the newest real image
 * (wpss) does. A user's key decides for itself: a P-384 key signs ECDSA, an RSA key the HMAC-style
 * scheme up to v5 and PSS (as a650_zap) from v6. {@code --scheme} overrides either.
 */
public final class ImageSigner {

    private ImageSigner() {}

    /**
     * What to sign and how.
     *
     * @param scheme --scheme, or the version's (test CA) or the key's (own key) default
     * @param force  replace outputs that exist
     */
    public record Request(Path elf, int mbnVersion, long swId, Signer signer, SchemeChoice scheme, Path output,
                          boolean force) {
        public Request {
            Objects.requireNonNull(elf, "elf");
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(output, "output");
            if (!HashSegment.VERSIONS.contains(mbnVersion)) {
                throw new IllegalArgumentException("MBN version " + mbnVersion + " is not one of " + HashSegment.VERSIONS);
            }
        }

        /** Where a test CA's root certificate goes: next to the image, as OUT.root.pem. */
        public Path rootCertificate() {
            return output.resolveSibling(output.getFileName() + ".root.pem");
        }
    }

    /** Who signs: a throwaway test CA made on the spot, or the user's own key. */
    public sealed interface Signer {
        /** Where the root certificate is written for verifiers; none for a user, whose root is theirs already. */
        default List<Path> publishedRoots(Request r) {
            return List.of();
        }
    }

    /** A test CA whose attestation certificate states {@code hwId} (0 without --hw-id); its root goes to OUT.root.pem. */
    public record TestCaSigner(long hwId) implements Signer {
        @Override
        public List<Path> publishedRoots(Request r) {
            return List.of(r.rootCertificate());
        }
    }

    /**
     * The user's PEM private key and chain, attestation first and root last.
     *
     * @param hwId what the attestation certificate must state, when --hw-id is given
     */
    public record OwnKey(Path key, Path certChain, HwId hwId) implements Signer {
        public OwnKey {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(certChain, "certChain");
            Objects.requireNonNull(hwId, "hwId");
        }
    }

    /** The HW_ID a user's certificate must state: the one --hw-id gives, or any. */
    public sealed interface HwId {
        boolean admits(long stated);

        /** How a message quotes the option: " --hw-id 0x5", or nothing. */
        String option();

        record Any() implements HwId {
            @Override
            public boolean admits(long stated) {
                return true;
            }

            @Override
            public String option() {
                return "";
            }
        }

        record Exactly(long value) implements HwId {
            @Override
            public boolean admits(long stated) {
                return stated == value;
            }

            @Override
            public String option() {
                return " --hw-id 0x" + Long.toHexString(value);
            }
        }
    }

    /** --scheme, or the default the version or the key implies. */
    public sealed interface SchemeChoice {
        SignatureScheme or(SignatureScheme implied);

        record Implied() implements SchemeChoice {
            @Override
            public SignatureScheme or(SignatureScheme implied) {
                return implied;
            }
        }

        record Given(SignatureScheme scheme) implements SchemeChoice {
            public Given {
                Objects.requireNonNull(scheme, "scheme");
            }

            @Override
            public SignatureScheme or(SignatureScheme implied) {
                return scheme;
            }
        }
    }

    /** What was written: the image, and the root certificates published beside it (a test CA's). */
    public record Result(Path image, List<Path> publishedRoots, SignatureScheme scheme) {
        public Result {
            publishedRoots = List.copyOf(publishedRoots);
        }
    }

    /**
     * Signs {@code r.elf()} into {@code r.output()}.
     *
     * @throws InvalidImageException    the ELF breaks a rule, or its addresses do not fit its class; nothing was written
     * @throws IllegalArgumentException the key, the chain or the scheme do not fit together or the request
     */
    public static Result sign(Request r) throws IOException, Failure {
        List<Path> roots = r.signer().publishedRoots(r);
        AtomicFile.requireAbsent(r.output(), r.force());
        for (Path root : roots) {
            AtomicFile.requireAbsent(root, r.force());
        }
        try (FirmwareImage image = FirmwareImage.open(r.elf())) {
            new Validator(true).requireValid(image);
            List<LoadSegment> segments = new ArrayList<>();
            for (ImageSegment s : image.segments()) {
                ProgramHeader p = s.phdr();
                if (p.isLoadable()) {
                    segments.add(new LoadSegment(p.p_paddr(), p.p_vaddr(), p.p_flags(),
                            s.data().toArray(ValueLayout.JAVA_BYTE), p.p_memsz()));
                }
            }
            int phnum = segments.size() + 2;
            long signedLength = HashSegment.headerSize(r.mbnVersion())
                    + (long) phnum * DigestAlgorithm.forVersion(r.mbnVersion()).length();
            SigningKey key = switch (r.signer()) {
                case TestCaSigner testCa -> testKey(r, testCa, signedLength);
                case OwnKey own -> userKey(r, own);
            };
            // after the highest loadable byte, page-aligned: where every real image puts its hash segment
            long hashAddress = Page.alignUp(image.layout().maxEnd());
            Assembled assembled;
            try {
                assembled = ImageAssembler.builder()
                        .elfClass(image.elfClass()).machine(image.elf().header().e_machine())
                        .entry(image.elf().header().e_entry()).mbnVersion(r.mbnVersion()).hashAddress(hashAddress)
                        .swId(r.swId()).segments(segments).signer(key).build().assemble();
            } catch (IllegalArgumentException tooWide) {
                throw new InvalidImageException(Violation.of(Rule.ADDRESS_OVERFLOW, r.elf().toString(),
                        "hash segment at 0x" + Long.toHexString(hashAddress) + ": " + tooWide.getMessage()));
            }
            for (Path root : roots) {
                AtomicFile.write(root, r.force(), pem(key.root()));
            }
            AtomicFile.write(r.output(), r.force(), assembled.squashed());
            return new Result(r.output(), roots, key.scheme());
        }
    }

    private static SigningKey testKey(Request r, TestCaSigner testCa, long signedLength) throws Failure {
        SignatureScheme scheme = r.scheme().or(r.mbnVersion() < 6 ? SignatureScheme.RSA_PKCS1_QCOM_HMAC : SignatureScheme.ECDSA_P384);
        try {
            return TestCa.generate(scheme, SigningAttributes.forAttestation(r.swId(), testCa.hwId(), signedLength,
                    scheme == SignatureScheme.RSA_PKCS1_QCOM_HMAC)).key();
        } catch (GeneralSecurityException e) {
            throw Failure.of(e);
        }
    }

    private static SigningKey userKey(Request r, OwnKey own) throws IOException {
        PrivateKey key = KeyFiles.privateKey(own.key());
        List<X509Certificate> chain = KeyFiles.chain(own.certChain());
        X509Certificate attestation = chain.getFirst();
        if (!KeyFiles.matches(key, attestation)) {
            throw new IllegalArgumentException(own.key() + ": not the key of the first certificate in " + own.certChain()
                    + " (" + attestation.getSubjectX500Principal() + ")");
        }
        List<String> broken = new CertificateChain(chain, 0).linkProblems();
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException(own.certChain() + ": " + broken.getFirst());
        }
        var publicKey = attestation.getPublicKey();
        SignatureScheme scheme = r.scheme().or(SignatureScheme.ECDSA_P384.suits(publicKey) ? SignatureScheme.ECDSA_P384
                : r.mbnVersion() < 6 ? SignatureScheme.RSA_PKCS1_QCOM_HMAC : SignatureScheme.RSASSA_PSS);
        if (!scheme.suits(publicKey)) {
            throw new IllegalArgumentException(scheme.id() + " cannot sign with the " + publicKey.getAlgorithm()
                    + " key of " + own.key());
        }
        SigningAttributes ou = SigningAttributes.fromOrganizationalUnits(CertificateInfo.organizationalUnits(attestation));
        if (scheme == SignatureScheme.RSA_PKCS1_QCOM_HMAC) {
            requireOu(r, own, ou);
        }
        return new SigningKey(key, chain, scheme, ou);
    }

    /** The HMAC-style scheme mixes in the attestation certificate's SW_ID and HW_ID: they must be there and agree. */
    private static void requireOu(Request r, OwnKey own, SigningAttributes ou) {
        OptionalLong swId = ou.id(SigningAttributes.Id.SW_ID);
        OptionalLong hwId = ou.id(SigningAttributes.Id.HW_ID);
        if (swId.isEmpty() || hwId.isEmpty()) {
            throw new IllegalArgumentException(own.certChain() + ": the attestation certificate has no SW_ID and HW_ID"
                    + " OU fields, which " + SignatureScheme.RSA_PKCS1_QCOM_HMAC.id() + " mixes in");
        }
        if (swId.getAsLong() != r.swId() || !own.hwId().admits(hwId.getAsLong())) {
            throw new IllegalArgumentException(String.format(
                    "--sw-id 0x%x%s does not match the attestation certificate's SW_ID 0x%x HW_ID 0x%x", r.swId(),
                    own.hwId().option(), swId.getAsLong(), hwId.getAsLong()));
        }
    }

    private static byte[] pem(X509Certificate certificate) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(certificate);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
