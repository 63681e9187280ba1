package dev.mdtload.signature;

import dev.mdtload.failure.InvalidInput;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.image.FirmwareImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Entry points for the commands: the chains of an image for {@code certs}, a verdict for {@code validate --signatures}. */
public final class Signatures {
    private Signatures() {}

    /** What {@code mdtload certs} shows for one image. */
    public record CertsReport(String path, int mbnVersion, long signedLength, SigningAttributes metadata,
                              List<ChainInfo> chains) {
        public CertsReport {
            chains = List.copyOf(chains);
        }
    }

    /**
     * Decodes every signature's certificate chain of {@code path}.
     *
     * @throws InvalidImageException the image has no hash segment, no signature at all, or a chain that cannot be decoded
     */
    public static CertsReport certificates(Path path) throws IOException, InvalidImageException {
        try (FirmwareImage image = FirmwareImage.open(path)) {
            ImageSignature sig = ImageSignature.of(image);
            if (sig.isUnsigned()) {
                throw new InvalidImageException(Violation.of(Rule.UNSIGNED, sig.file(), sig.segment(),
                        "image has no signature and no certificate chain"));
            }
            List<ChainInfo> chains = new ArrayList<>();
            List<Violation> broken = new ArrayList<>();
            for (ImageSignature.Signed s : sig.signed()) {
                try {
                    chains.add(ChainInfo.of(s, CertificateChain.parse(s.certChain())));
                } catch (InvalidInput e) {
                    broken.add(Violation.of(Rule.CHAIN_INVALID, sig.file(), sig.segment(), s.authority() + " " + e.getMessage()));
                }
            }
            if (!broken.isEmpty()) {
                throw new InvalidImageException(broken);
            }
            return new CertsReport(sig.file(), sig.version(), sig.signedBytes().length, sig.metadata(), chains);
        }
    }

    /**
     * Verifies the signatures of {@code path}. An image without a hash segment has nothing signed
     * (unsigned, allowed with {@code allowUnsigned}); one whose hash segment cannot be read is
     * invalid, for the reasons its validation gives too.
     */
    public static SignatureReport verify(Path path, RootRequirement anchor, boolean allowUnsigned) throws IOException {
        try (FirmwareImage image = FirmwareImage.open(path)) {
            return new SignatureVerifier(anchor, allowUnsigned).verify(ImageSignature.of(image));
        } catch (InvalidImageException e) {
            boolean missing = e.violations().stream().allMatch(v -> v.rule() == Rule.HASH_SEGMENT_MISSING);
            if (!missing) {
                return new SignatureReport.Unread(SignatureReport.Status.INVALID,
                        "hash segment unreadable, so no signature to verify", e.violations());
            }
            List<Violation> why = allowUnsigned ? List.of()
                    : List.of(Violation.of(Rule.UNSIGNED, path.toString(), "no hash segment, so no signature to verify"));
            return new SignatureReport.Unread(SignatureReport.Status.UNSIGNED,
                    allowUnsigned ? "unsigned (no hash segment), allowed by --allow-unsigned" : "no hash segment", why);
        }
    }
}
