package dev.mdtload.check;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Every rule an image, a part file or a load can break. The {@link #id()} is stable: scripts
 * match on it in JSON and in the one-line error messages, so ids are never renamed.
 */
public enum Rule {
    // ELF header (kernel: mdt_header_valid)
    FILE_TOO_SHORT("file-too-short", "file is shorter than an ELF header"),
    BAD_MAGIC("bad-magic", "not an ELF file"),
    UNSUPPORTED_CLASS("unsupported-class", "ELF class is neither ELF32 nor ELF64"),
    NOT_LITTLE_ENDIAN("not-little-endian", "ELF data encoding is not little-endian"),
    BAD_PHENTSIZE("bad-phentsize", "e_phentsize is not the size of a program header of this class"),
    PHDRS_OUT_OF_BOUNDS("phdrs-out-of-bounds", "program-header table runs past the end of the file"),
    BAD_SHENTSIZE("bad-shentsize", "e_shentsize is not the size of a section header of this class"),
    SHDRS_OUT_OF_BOUNDS("shdrs-out-of-bounds", "section-header table runs past the end of the file"),
    TOO_MANY_PHDRS("too-many-phdrs", "more program headers than a .bNN part name can number"),

    // program headers (kernel: __qcom_mdt_load)
    FILESZ_EXCEEDS_MEMSZ("filesz-exceeds-memsz", "p_filesz is larger than p_memsz"),
    SEGMENT_TRUNCATED("segment-truncated", "segment bytes run past the end of the image file"),
    OFFSET_OVERFLOW("offset-overflow", "p_offset + p_filesz overflows"),
    ADDRESS_OVERFLOW("address-overflow", "p_paddr + p_memsz overflows the address width"),
    NO_LOADABLE_SEGMENT("no-loadable-segment", "no PT_LOAD segment with p_memsz > 0"),
    SEGMENTS_OVERLAP("segments-overlap", "two loadable segments cover the same addresses"),

    // split parts (.bNN)
    PART_MISSING("part-missing", "a split part file is missing"),
    PART_SIZE_MISMATCH("part-size-mismatch", "a split part's size is not p_filesz"),
    PART_NOT_REGULAR_FILE("part-not-regular-file", "a split part is not a regular file"),
    PART_UNREADABLE("part-unreadable", "a split part cannot be read"),
    PART_OUTSIDE_DIRECTORY("part-outside-directory", "a split part resolves outside the image's directory"),
    PART_CHANGED("part-changed", "a file changed size while it was being read"),
    PART_DIFFERS("part-differs", "a split part disagrees with the copy of its segment in the .mdt"),

    // metadata and hash segment (kernel: qcom_mdt_read_metadata; MBN v3/v5/v6/v7)
    METADATA_INVALID("metadata-invalid", "headers cannot form the metadata blob the secure world needs"),
    HASH_SEGMENT_MISSING("hash-segment-missing", "no hash segment (QCOM type 2)"),
    HASH_SEGMENT_DUPLICATE("hash-segment-duplicate", "more than one hash segment"),
    HASH_HEADER_TRUNCATED("hash-header-truncated", "hash segment is shorter than its header"),
    HASH_VERSION_UNSUPPORTED("hash-version-unsupported", "MBN header version is not 3, 5, 6 or 7"),
    HASH_TABLE_SIZE_MISMATCH("hash-table-size-mismatch", "digest table size is not e_phnum digests"),
    HASH_TABLE_OUT_OF_BOUNDS("hash-table-out-of-bounds", "digest table runs past the hash segment"),
    SIGNATURE_OUT_OF_BOUNDS("signature-out-of-bounds", "signature or certificate chain runs past the hash segment"),
    DIGEST_MISMATCH("digest-mismatch", "segment bytes do not match their digest"),
    DIGEST_NOT_ZERO("digest-not-zero", "digest entry of a segment without file bytes is neither zero nor the empty digest"),
    FILE_BYTES_OVERLAP("file-bytes-overlap", "two segments to be hashed take overlapping bytes of one file"),

    // signatures and certificate chains (validate --signatures)
    UNSIGNED("unsigned", "image has no signature or no certificate chain"),
    CHAIN_INVALID("chain-invalid", "certificate chain cannot be decoded or a certificate is not signed by the next"),
    ROOT_MISMATCH("root-mismatch", "root certificate is not the given trust anchor"),
    SIGNATURE_INVALID("signature-invalid", "image signature does not verify over the signed bytes"),
    SIGNATURE_SCHEME_UNKNOWN("signature-scheme-unknown", "the attestation key is of a kind no known signature scheme uses"),

    // placing an image in a carveout
    SEGMENT_OUTSIDE_CARVEOUT("segment-outside-carveout", "segment does not fit in the carveout");

    private final String id;
    private final String summary;

    Rule(String id, String summary) {
        this.id = id;
        this.summary = summary;
    }

    /** Stable kebab-case id, as used in messages and JSON. */
    @JsonValue
    public String id() {
        return id;
    }

    public String summary() {
        return summary;
    }

    @Override
    public String toString() {
        return id;
    }
}
