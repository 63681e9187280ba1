package dev.mdtload.signature;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.mbn.HashSegment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The signature-bearing parts of one image's hash segment, copied out: the signed bytes (byte 0
 * to the end of the digest table), each authority's signature and certificate-chain fields, and
 * the v6/v7 metadata that says what the image is signed for.
 *
 * @param signed  QTI first where present (MBN v5+ put its signature and chain before the OEM's),
 *                then OEM; an authority whose signature and chain are both empty is left out
 * @param metadata the v6 OEM metadata or v7 common metadata, decoded; unstated before v6
 */
public record ImageSignature(String file, int segment, int version, byte[] signedBytes, List<Signed> signed,
                             SigningAttributes metadata) {

    public ImageSignature {
        signed = List.copyOf(signed);
    }

    /** Who signed: Qualcomm (QTI, v5+) or the device maker (OEM; the only signer before v5). */
    public enum Authority {
        QTI,
        OEM;

        /** The kebab-case name, as JSON and messages show it. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One authority's signature field and certificate-chain field, as stored (chain padding included). */
    public record Signed(Authority authority, byte[] signature, byte[] certChain) {
        public boolean isEmpty() {
            return signature.length == 0 && certChain.length == 0;
        }
    }

    /**
     * Reads the signature parts of an opened image.
     *
     * @throws InvalidImageException the image has no readable hash segment (its own violations, or hash-segment-missing)
     */
    public static ImageSignature of(FirmwareImage image) throws InvalidImageException {
        String file = image.path().toString();
        Optional<HashSegment> read = image.hashSegment();
        if (read.isEmpty()) {
            List<Violation> why = image.violations().isEmpty()
                    ? List.of(Violation.of(Rule.HASH_SEGMENT_MISSING, file, "no hash segment (QCOM type 2): nothing is signed"))
                    : image.violations();
            throw new InvalidImageException(why);
        }
        HashSegment hash = read.get();
        int segment = image.elf().phdrs().stream().filter(ProgramHeader::isHashSegment).findFirst()
                .map(ProgramHeader::index).orElseThrow();
        return of(hash, file, segment);
    }

    /**
     * Reads the signature parts of a parsed hash segment: program header {@code segment} of
     * {@code file}, or of the metadata a secure world was handed.
     */
    public static ImageSignature of(HashSegment hash, String file, int segment) {
        MemorySegment bytes = hash.bytes();
        List<Signed> signed = new ArrayList<>();
        for (Signed s : List.of(
                new Signed(Authority.QTI, copy(hash.qtiSignature().of(bytes)), copy(hash.qtiCertChain().of(bytes))),
                new Signed(Authority.OEM, copy(hash.signature().of(bytes)), copy(hash.certChain().of(bytes))))) {
            if (!s.isEmpty()) {
                signed.add(s);
            }
        }
        return new ImageSignature(file, segment, hash.version(), copy(hash.signedBytes()), signed, metadata(hash));
    }

    private static SigningAttributes metadata(HashSegment hash) {
        MemorySegment bytes = hash.bytes();
        return switch (hash.version()) {
            case 6 -> SigningAttributes.fromV6Metadata(hash.oemMetadata().of(bytes));
            // the 24 bytes of common metadata close the 64-byte v7 header
            case 7 -> SigningAttributes.fromV7CommonMetadata(bytes.asSlice(40, 24));
            // up to v5 the attestation certificate states them
            default -> new SigningAttributes.Unstated();
        };
    }

    /** The OEM signature and chain, when the image carries either. */
    public Optional<Signed> oem() {
        return signed.stream().filter(s -> s.authority() == Authority.OEM).findFirst();
    }

    public boolean isUnsigned() {
        return signed.isEmpty();
    }

    private static byte[] copy(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }
}
