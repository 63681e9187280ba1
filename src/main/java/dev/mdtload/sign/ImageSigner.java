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
     * @param hwId      HW_ID; null for 0 with the test CA, or whatever the user's certificate says
     * @param scheme    null for the version's (or key's) default
     * @param key       the user's PEM private key, with {@code certChain}; both null for a test CA
     * @param certChain the user's PEM chain, attestation first and root last
     * @param force     replace outputs that exist
     */
    public record Request(Path elf, int mbnVersion, long swId, Long hwId, SignatureScheme scheme, Path key,
                          Path certChain, Path output, boolean force) {
        public Request {
            Objects.requireNonNull(elf, "elf");
            Objects.requireNonNull(output, "output");
            if (!HashSegment.VERSIONS.contains(mbnVersion)) {
                throw new IllegalArgumentException("MBN version " + mbnVersion + " is not one of " + HashSegment.VERSIONS);
            }
            if ((key == null) != (certChain == null)) {
                throw new IllegalArgumentException("a key needs its certificate chain and a chain its key");
            }
        }

        /** Where a test CA's root certificate goes: next to the image, as OUT.root.pem. */
        public Path rootCertificate() {
            return output.resolveSibling(output.getFileName() + ".root.pem");
        }
    }

    /** What was written: the image and, for a test CA, its root certificate (else null). */
    public record Result(Path image, Path rootCertificate, SignatureScheme scheme) {}

    /**
     * Signs {@code r.elf()} into {@code r.output()}.
     *
     * @throws InvalidImageException    the ELF breaks a rule, or its addresses do not fit its class; nothing was written
     * @throws IllegalArgumentException the key, the chain or the scheme do not fit together or the request
     */
    public static Result sign(Request r) throws IOException, Failure {
        boolean testCa = r.key() == null;
        AtomicFile.requireAbsent(r.output(), r.force());
        if (testCa) {
            AtomicFile.requireAbsent(r.rootCertificate(), r.force());
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
            SigningKey key = testCa ? testKey(r, signedLength) : userKey(r);
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
            if (testCa) {
                AtomicFile.write(r.rootCertificate(), r.force(), pem(key.root()));
            }
            AtomicFile.write(r.output(), r.force(), assembled.squashed());
            return new Result(r.output(), testCa ? r.rootCertificate() : null, key.scheme());
        }
    }

    private static SigningKey testKey(Request r, long signedLength) throws Failure {
        SignatureScheme scheme = r.scheme() != null ? r.scheme()
                : r.mbnVersion() < 6 ? SignatureScheme.RSA_PKCS1_QCOM_HMAC : SignatureScheme.ECDSA_P384;
        long hwId = r.hwId() == null ? 0 : r.hwId();
        try {
            return TestCa.generate(scheme, SigningAttributes.forAttestation(r.swId(), hwId, signedLength,
                    scheme == SignatureScheme.RSA_PKCS1_QCOM_HMAC)).key();
        } catch (GeneralSecurityException e) {
            throw Failure.of(e);
        }
    }

    private static SigningKey userKey(Request r) throws IOException {
        PrivateKey key = KeyFiles.privateKey(r.key());
        List<X509Certificate> chain = KeyFiles.chain(r.certChain());
        X509Certificate attestation = chain.getFirst();
        if (!KeyFiles.matches(key, attestation)) {
            throw new IllegalArgumentException(r.key() + ": not the key of the first certificate in " + r.certChain()
                    + " (" + attestation.getSubjectX500Principal() + ")");
        }
        List<String> broken = new CertificateChain(chain, 0).linkProblems();
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException(r.certChain() + ": " + broken.getFirst());
        }
        var publicKey = attestation.getPublicKey();
        SignatureScheme scheme = r.scheme() != null ? r.scheme()
                : SignatureScheme.ECDSA_P384.suits(publicKey) ? SignatureScheme.ECDSA_P384
                : r.mbnVersion() < 6 ? SignatureScheme.RSA_PKCS1_QCOM_HMAC : SignatureScheme.RSASSA_PSS;
        if (!scheme.suits(publicKey)) {
            throw new IllegalArgumentException(scheme.id() + " cannot sign with the " + publicKey.getAlgorithm()
                    + " key of " + r.key());
        }
        SigningAttributes ou = SigningAttributes.fromOrganizationalUnits(CertificateInfo.organizationalUnits(attestation));
        if (scheme == SignatureScheme.RSA_PKCS1_QCOM_HMAC) {
            requireOu(r, ou);
        }
        return new SigningKey(key, chain, scheme, ou);
    }

    /** The HMAC-style scheme mixes in the attestation certificate's SW_ID and HW_ID: they must be there and agree. */
    private static void requireOu(Request r, SigningAttributes ou) {
        if (ou == null || ou.swId() == null || ou.hwId() == null) {
            throw new IllegalArgumentException(r.certChain() + ": the attestation certificate has no SW_ID and HW_ID"
                    + " OU fields, which " + SignatureScheme.RSA_PKCS1_QCOM_HMAC.id() + " mixes in");
        }
        if (ou.swId() != r.swId() || (r.hwId() != null && !r.hwId().equals(ou.hwId()))) {
            throw new IllegalArgumentException(String.format(
                    "--sw-id 0x%x%s does not match the attestation certificate's SW_ID 0x%x HW_ID 0x%x", r.swId(),
                    r.hwId() == null ? "" : " --hw-id 0x" + Long.toHexString(r.hwId()), ou.swId(), ou.hwId()));
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
