package dev.mdtload.preflight;

import dev.mdtload.failure.InvalidInput;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.Elf;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.mbn.HashSegment;
import dev.mdtload.preflight.BoardFacts.Fact;
import dev.mdtload.scm.ImagePolicy;
import dev.mdtload.signature.CertificateChain;
import dev.mdtload.signature.CertificateInfo;
import dev.mdtload.signature.ImageSignature;
import dev.mdtload.signature.SigningAttributes;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The checks a Qualcomm secure world makes before it accepts an image for a PAS id, made offline:
 * the OEM root certificate against the fused public-key hash, the SW_ID against the PAS id
 * ({@link SwIds}), the OEM, model and hardware ids and the anti-rollback version against the fuses
 * ({@link BoardFacts}), and the kinds of image OP-TEE's PAS service does not take: encrypted ones
 * and ones countersigned by Qualcomm. OP-TEE's service checks the segment digests against the
 * hash table (core/pta/qcom/pas/pas_auth_core.c in qualcomm-linux/optee_os) and reads these fuses
 * (core/drivers/qcom/qfprom/qfprom_secboot.c in OP-TEE/optee_os); {@code validate} checks the digests.
 *
 * <p>Where the image states its ids: up to MBN v5 in the attestation certificate's OU fields
 * ({@code 01 ... SW_ID}, {@code 02 ... HW_ID}, {@code 04 ... OEM_ID}, {@code 06 ... MODEL_ID}),
 * whose SW_ID carries the anti-rollback version in its upper 32 bits; from v6 on in the OEM
 * metadata, with the anti-rollback version in its last word; v7's common metadata states only the SW_ID.
 */
public final class Preflight {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** v6 OEM metadata word 29: anti_rollback_version, after the SoC versions, serial numbers and root index. */
    private static final int V6_ROLLBACK_WORD = 29;
    private static final List<IdCheck> IDS = List.of(
            new IdCheck("oem-id", "OEM_ID", SigningAttributes.Id.OEM_ID, Fact.OemId.class),
            new IdCheck("model-id", "MODEL_ID", SigningAttributes.Id.MODEL_ID, Fact.ModelId.class),
            new IdCheck("hw-id", "HW_ID", SigningAttributes.Id.HW_ID, Fact.HwId.class));

    private Preflight() {}

    /**
     * Checks {@code image} as the secure world would for {@code pasId} on a board with {@code facts}.
     *
     * @throws InvalidImageException the image has no readable hash segment
     */
    public static PreflightReport check(Path image, long pasId, BoardFacts facts) throws IOException, InvalidImageException {
        try (FirmwareImage opened = FirmwareImage.open(image)) {
            ImageSignature signature = ImageSignature.of(opened);
            return check(opened.hashSegment().orElseThrow(), signature, pasId, facts);
        }
    }

    /**
     * Checks the metadata init_image hands the secure world: the ELF header and program headers
     * (program header 0's bytes), then the hash segment, as the loader lays them out.
     *
     * @throws InvalidImageException the metadata holds no readable ELF headers or hash segment
     */
    public static PreflightReport checkMetadata(MemorySegment metadata, String name, long pasId, BoardFacts facts)
            throws InvalidImageException {
        Elf elf = Elf.parse(metadata, name);
        long headers = elf.phdrs().getFirst().p_filesz();
        ProgramHeader hashHeader = elf.phdrs().stream().filter(ProgramHeader::isHashSegment).findFirst()
                .orElseThrow(() -> new InvalidImageException(Violation.of(Rule.HASH_SEGMENT_MISSING, name,
                        "no hash segment (QCOM type 2) in the metadata: nothing is signed")));
        long size = Math.min(hashHeader.p_filesz(), metadata.byteSize() - headers);
        HashSegment hash = HashSegment.parse(metadata.asSlice(headers, size), elf.phdrs().size(), name, hashHeader.index());
        return check(hash, ImageSignature.of(hash, name, hashHeader.index()), pasId, facts);
    }

    /**
     * These checks as a secure world applies them to init_image on a board with {@code facts}:
     * each failure a refusal. Metadata that does not parse is left to the secure world itself. A
     * board of whose fuses nothing is known checks nothing: the simulation stays as permissive as
     * before (knowing the SoC alone changes which lite firmware runs, not what is accepted).
     */
    public static ImagePolicy policy(BoardFacts facts) {
        if (!facts.knowsFuses()) {
            return ImagePolicy.NONE;
        }
        return (pasId, metadata) -> {
            try {
                return checkMetadata(metadata, "init_image metadata", pasId, facts).failures().stream().map(Finding::line).toList();
            } catch (InvalidImageException unparsed) {
                return List.of();
            }
        };
    }

    private static PreflightReport check(HashSegment hash, ImageSignature signature, long pasId, BoardFacts facts) {
        List<Finding> findings = new ArrayList<>();
        findings.add(countersign(signature));
        findings.add(encryption(hash));
        Optional<ImageSignature.Signed> withChain = signature.oem().filter(signed -> signed.certChain().length > 0);
        if (withChain.isEmpty()) {
            findings.add(Finding.fail("unsigned", "image has no OEM signature and certificate chain: a secure world "
                    + "with secure boot on authenticates nothing else"));
            return new PreflightReport(signature.file(), pasId, findings);
        }
        ImageSignature.Signed oem = withChain.get();
        CertificateChain chain;
        try {
            chain = CertificateChain.parse(oem.certChain());
        } catch (InvalidInput e) {
            findings.add(Finding.fail("chain-invalid", "OEM certificate chain: " + e.getMessage()));
            return new PreflightReport(signature.file(), pasId, findings);
        }
        findings.add(root(chain, facts));
        SigningAttributes claims = signature.version() < 6
                ? SigningAttributes.fromOrganizationalUnits(CertificateInfo.organizationalUnits(chain.attestation()))
                : signature.metadata();
        findings.add(swId(claims, pasId));
        IDS.forEach(id -> findings.add(id.check(claims, facts)));
        findings.add(rollback(hash, claims, facts));
        return new PreflightReport(signature.file(), pasId, findings);
    }

    /**
     * MBN v5 and later carry a Qualcomm (QTI) signature and chain beside the OEM's when Qualcomm
     * countersigned the image; OP-TEE's PAS service verifies one signer only.
     */
    private static Finding countersign(ImageSignature signature) {
        boolean qti = signature.signed().stream().anyMatch(s -> s.authority() == ImageSignature.Authority.QTI);
        return qti ? Finding.fail("countersigned", "image carries a QTI signature besides the OEM's: countersigned "
                + "images are refused") : Finding.pass("countersign", "OEM signature only");
    }

    /**
     * SecTools writes an encrypted image's encryption parameters after the certificate chain, in
     * the room signing leaves there padded with 0xff (ParseGenMbnV3EncDec in sectools/common/
     * parsegen/mbn/versions/v3_encdec/parsegen_mbn.py): anything else there means encrypted segments.
     */
    private static Finding encryption(HashSegment hash) {
        long end = List.of(hash.digestTable(), hash.qtiSignature(), hash.qtiCertChain(), hash.signature(), hash.certChain())
                .stream().mapToLong(HashSegment.Region::end).max().orElseThrow();
        MemorySegment after = hash.bytes().asSlice(end);
        for (long i = 0; i < after.byteSize(); i++) {
            if (after.get(ValueLayout.JAVA_BYTE, i) != (byte) 0xff) {
                return Finding.fail("encrypted", String.format("hash segment holds %d bytes of encryption parameters "
                        + "after the certificate chain (offset 0x%x): encrypted images are refused", after.byteSize(), end));
            }
        }
        return Finding.pass("encryption", "no encryption parameters after the certificate chain");
    }

    private static Finding root(CertificateChain chain, BoardFacts facts) {
        String image = HexFormat.of().formatHex(CertificateChain.sha256(chain.root()));
        Optional<Fact.Root> board = facts.get(Fact.Root.class);
        if (board.isEmpty()) {
            return Finding.skipped("root", "image root sha256 " + image + "; board root not given (--root-sha256)");
        }
        return board.get().sha256().equals(image)
                ? Finding.pass("root", "root sha256 " + image + " is the fused one")
                : Finding.fail("root-mismatch", "image root sha256 " + image + ", board " + board.get().sha256());
    }

    private static Finding swId(SigningAttributes claims, long pasId) {
        OptionalLong image = claims.id(SigningAttributes.Id.SW_ID);
        Optional<SwIds.Expected> expected = SwIds.of(pasId);
        if (image.isEmpty()) {
            return Finding.fail("sw-id-missing", "image states no SW_ID");
        }
        long swId = image.getAsLong() & 0xffff_ffffL;
        if (expected.isEmpty()) {
            return Finding.skipped("sw-id", String.format("image SW_ID 0x%x; no public source pairs pas id %d with a SW_ID",
                    swId, pasId));
        }
        return swId == expected.get().swId()
                ? Finding.pass("sw-id", String.format("SW_ID 0x%x is pas id %d's (%s)", swId, pasId, expected.get().processor()))
                : Finding.fail("sw-id-mismatch", String.format("image SW_ID 0x%x, pas id %d (%s) expects 0x%x", swId, pasId,
                        expected.get().processor(), expected.get().swId()));
    }

    /** An id an image may be bound to: the check's name, the field's, where the image states it and which fuse holds it. */
    private record IdCheck(String check, String field, SigningAttributes.Id claim,
                           Class<? extends Fact.Id> fuse) {
        Finding check(SigningAttributes claims, BoardFacts facts) {
            Optional<? extends Fact.Id> board = facts.get(fuse);
            if (board.isEmpty()) {
                return Finding.skipped(check, field + " not given for the board");
            }
            OptionalLong image = claims.id(claim);
            if (image.isEmpty()) {
                return Finding.skipped(check, "image states no " + field + ": not bound to one");
            }
            long fused = board.get().value();
            return image.getAsLong() == fused
                    ? Finding.pass(check, String.format("%s 0x%x", field, fused))
                    : Finding.fail(check + "-mismatch", String.format("image %s 0x%x, board 0x%x", field, image.getAsLong(), fused));
        }
    }

    private static Finding rollback(HashSegment hash, SigningAttributes claims, BoardFacts facts) {
        Optional<Fact.Rollback> board = facts.get(Fact.Rollback.class);
        OptionalLong image = switch (hash.version()) {
            case 3, 5 -> {
                OptionalLong swId = claims.id(SigningAttributes.Id.SW_ID);
                yield swId.isPresent() ? OptionalLong.of(swId.getAsLong() >>> 32) : OptionalLong.empty();
            }
            case 6 -> hash.oemMetadata().length() >= SigningAttributes.V6_METADATA_SIZE
                    ? OptionalLong.of(Integer.toUnsignedLong(hash.oemMetadata().of(hash.bytes()).get(U32, V6_ROLLBACK_WORD * 4L)))
                    : OptionalLong.empty();
            default -> OptionalLong.empty();
        };
        if (board.isEmpty()) {
            return Finding.skipped("rollback", "board's anti-rollback version not given (--rollback)");
        }
        if (image.isEmpty()) {
            return Finding.skipped("rollback", "MBN v" + hash.version() + " image states no anti-rollback version");
        }
        return image.getAsLong() >= board.get().minimum()
                ? Finding.pass("rollback", String.format("image version %d, board minimum %d", image.getAsLong(), board.get().minimum()))
                : Finding.fail("rollback-too-old", String.format("image anti-rollback version %d, board minimum %d",
                        image.getAsLong(), board.get().minimum()));
    }
}
