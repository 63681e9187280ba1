package dev.mdtload.check;

import com.fasterxml.jackson.annotation.JsonValue;

import static dev.mdtload.check.Basis.KERNEL;
import static dev.mdtload.check.Basis.MDTLOAD;
import static dev.mdtload.check.Basis.PAS_INIT;
import static dev.mdtload.check.Basis.SECURE_WORLD;
import static dev.mdtload.check.Severity.ERROR;
import static dev.mdtload.check.Severity.WARNING;

/**
 * Every rule an image, a part file or a load can break, with everything known about it: the one
 * place a rule's properties live (docs/rules.md is generated from this table and checked by
 * RuleTableDocTest). The {@link #id()} is stable: scripts match on it in JSON and in the one-line
 * messages, so ids are never renamed.
 *
 * <p>A rule's {@link #severity()} is the device's verdict, not mdtload's taste: an error where the
 * kernel or the secure world would refuse the image, or where reading it would be unsafe or
 * unbounded for mdtload; a warning where the device loads it all the same. Kernel reasons name
 * the function of {@value #KERNEL_SOURCE} that decides.
 */
public enum Rule {
    // ELF header (kernel: mdt_header_valid)
    FILE_TOO_SHORT("file-too-short", "file is shorter than an ELF header", ERROR, KERNEL,
            "mdt_header_valid(): fw->size below sizeof(struct elf32_hdr) is -EINVAL"),
    BAD_MAGIC("bad-magic", "not an ELF file", ERROR, KERNEL,
            "mdt_header_valid(): e_ident must start with ELFMAG"),
    UNSUPPORTED_CLASS("unsupported-class", "ELF class is neither ELF32 nor ELF64", ERROR, MDTLOAD,
            "no header layout is known for any other EI_CLASS, so no field can be read (the kernel reads only ELF32)"),
    NOT_LITTLE_ENDIAN("not-little-endian", "ELF data encoding is not little-endian", ERROR, KERNEL,
            "mdt_header_valid() reads the fields in the CPU's little-endian order: a big-endian e_phentsize "
                    + "is never sizeof(struct elf32_phdr)"),
    BAD_PHENTSIZE("bad-phentsize", "e_phentsize is not the size of a program header of this class", ERROR, KERNEL,
            "mdt_header_valid(): e_phentsize must be sizeof(struct elf32_phdr)"),
    PHDRS_OUT_OF_BOUNDS("phdrs-out-of-bounds", "program-header table runs past the end of the file", ERROR, KERNEL,
            "mdt_header_valid(): e_phoff + e_phnum * e_phentsize past fw->size is -EINVAL"),
    BAD_SHENTSIZE("bad-shentsize", "e_shentsize is not the size of a section header of this class", ERROR, KERNEL,
            "mdt_header_valid(): when e_shentsize or e_shnum is non-zero, e_shentsize must be sizeof(struct elf32_shdr)"),
    SHDRS_OUT_OF_BOUNDS("shdrs-out-of-bounds", "section-header table runs past the end of the file", ERROR, KERNEL,
            "mdt_header_valid(): a declared section table past fw->size is -EINVAL"),
    ELF64_NOT_LOADABLE("elf64-not-loadable", "ELF64 image: mdtload reads it, the kernel's loader does not", ERROR,
            KERNEL, "the loader reads only struct elf32_hdr and elf32_phdr: mdt_header_valid() wants e_phentsize "
                    + "sizeof(struct elf32_phdr), and Debian's 6.1.192 and 6.12.95 refuse every ELF64 image with -EINVAL"),
    PHOFF_IGNORED("phoff-ignored", "the kernel reads program headers right after the ELF header, not at e_phoff",
            ERROR, KERNEL, "__qcom_mdt_load() and qcom_mdt_bins_are_split(), before \"soc: qcom: mdt_loader: "
                    + "Actually use the e_phoff\" (6.17, in 6.12.95), take the headers at sizeof(struct elf32_hdr), "
                    + "so another e_phoff loads other bytes"),
    TAKEN_AS_SPLIT("taken-as-split", "the kernel takes this single file for a split image and looks for a part",
            ERROR, KERNEL, "qcom_mdt_bins_are_split() from \"soc: qcom: mdt_loader: Enhance split binary detection\" "
                    + "(6.5, in 6.1.192) and before \"soc: qcom: mdt_loader: Fix split image detection\" (also 6.5, not "
                    + "in 6.1.192) counts a p_filesz 0 header whose p_offset lies past the file, and the part request "
                    + "fails with -ENOENT; older kernels read each segment from the file when it fits"),
    TOO_MANY_PHDRS("too-many-phdrs", "more program headers than a .bNN part name can number", ERROR, MDTLOAD,
            "mdt_load_split_segment() prints a 3-digit index into a name sized for 2: it writes past the buffer "
                    + "and asks for a part no one named; mdtload refuses instead"),

    // program headers (kernel: __qcom_mdt_load)
    FILESZ_EXCEEDS_MEMSZ("filesz-exceeds-memsz", "p_filesz is larger than p_memsz", ERROR, KERNEL,
            "__qcom_mdt_load(): \"refusing to load segment with p_filesz > p_memsz\""),
    SEGMENT_TRUNCATED("segment-truncated", "segment bytes run past the end of the image file", ERROR, KERNEL,
            "__qcom_mdt_load(): a non-split image whose p_offset + p_filesz passes fw->size \"would be truncated\""),
    OFFSET_OVERFLOW("offset-overflow", "p_offset + p_filesz overflows", ERROR, MDTLOAD,
            "an end that wraps the class's width names no bytes; __qcom_mdt_load()'s 32-bit sum would wrap too"),
    ADDRESS_OVERFLOW("address-overflow", "p_paddr + p_memsz overflows the address width", ERROR, MDTLOAD,
            "an end that wraps the class's address width is no address: neither mdtload nor the secure world, "
                    + "which reads the same fields, can place the segment"),
    NO_LOADABLE_SEGMENT("no-loadable-segment", "no PT_LOAD segment with p_memsz > 0", ERROR, KERNEL,
            "qcom_mdt_get_size() returns -EINVAL when no segment is loadable"),
    SEGMENTS_OVERLAP("segments-overlap", "a loadable segment overwrites file bytes of another in memory", ERROR,
            SECURE_WORLD,
            "__qcom_mdt_load() copies segments in table order and zero-fills each to p_memsz, without an overlap "
                    + "check; a later segment's bytes or zero fill replace an earlier one's file bytes, so "
                    + "auth_and_reset, which hashes the loaded memory, no longer finds the digest table's bytes"),
    ZERO_FILL_OVERLAP("zero-fill-overlap", "loadable segments overlap in memory, but no file byte is overwritten",
            WARNING, KERNEL,
            "__qcom_mdt_load() loads them; the overlap lies in zero fill only, so every hashed byte stays as signed"),

    // split parts (.bNN)
    PART_MISSING("part-missing", "a split part file is missing", ERROR, KERNEL,
            "mdt_load_split_segment(): request_firmware_into_buf() fails with -ENOENT"),
    PART_SIZE_MISMATCH("part-size-mismatch", "a split part's size is not p_filesz", ERROR, KERNEL,
            "mdt_load_split_segment(): a part whose size is not p_filesz is \"truncated\", -EINVAL"),
    PART_NOT_REGULAR_FILE("part-not-regular-file", "a split part is not a regular file", ERROR, MDTLOAD,
            "reading a FIFO or a device has no end; the kernel's firmware reader takes regular files only"),
    PART_UNREADABLE("part-unreadable", "a split part cannot be read", ERROR, KERNEL,
            "mdt_load_split_segment(): request_firmware_into_buf() fails on a link loop or a dangling link"),
    PART_OUTSIDE_DIRECTORY("part-outside-directory", "a split part resolves outside the image's directory", ERROR,
            MDTLOAD, "mdtload reads and stages only files under the image's own directory, so a link cannot make "
                    + "it read or copy a file the image does not own"),
    PART_CHANGED("part-changed", "a file changed size while it was being read", ERROR, MDTLOAD,
            "bytes that change while they are read were not the bytes checked"),
    PART_DIFFERS("part-differs", "a split part disagrees with the copy of its segment in the .mdt", WARNING, KERNEL,
            "qcom_mdt_read_metadata() takes the headers and the hash segment from the .mdt and never reads "
                    + "their parts; other tools (pil-squasher) may take the part instead"),

    // metadata and hash segment (kernel: qcom_mdt_read_metadata; MBN v3/v5/v6/v7)
    METADATA_INVALID("metadata-invalid", "headers cannot form the metadata blob the secure world needs", ERROR,
            PAS_INIT, "qcom_mdt_read_metadata(): fewer than 2 program headers, or a PT_LOAD program header 0, is -EINVAL; "
                    + "it copies program header 0's p_filesz bytes as the headers, so one that does not cover them "
                    + "hands the secure world metadata it cannot parse"),
    HASH_SEGMENT_MISSING("hash-segment-missing", "no hash segment (QCOM type 2)", ERROR, PAS_INIT,
            "qcom_mdt_read_metadata(): \"no hash segment found\", -EINVAL"),
    HASH_SEGMENT_DUPLICATE("hash-segment-duplicate", "more than one hash segment", ERROR, SECURE_WORLD,
            "the kernel sends the first; which table the secure world then checks the second against is not "
                    + "known, so mdtload cannot say what the device verifies"),
    HASH_HEADER_TRUNCATED("hash-header-truncated", "hash segment is shorter than its header", ERROR, SECURE_WORLD,
            "init_image parses the MBN header from the metadata; a cut header is refused"),
    HASH_VERSION_UNSUPPORTED("hash-version-unsupported", "MBN header version is not 3, 5, 6 or 7", ERROR, SECURE_WORLD,
            "init_image parses the MBN header; mdtload cannot find the digest table of an unknown layout either"),
    HASH_TABLE_SIZE_MISMATCH("hash-table-size-mismatch", "digest table size is not e_phnum digests", ERROR,
            SECURE_WORLD, "the secure world looks up one digest per program header; a table of another size is "
                    + "malformed metadata"),
    HASH_TABLE_OUT_OF_BOUNDS("hash-table-out-of-bounds", "digest table runs past the hash segment", ERROR, SECURE_WORLD,
            "the metadata the secure world parses holds no such table; mdtload does not read past the segment"),
    HASH_ALGORITHM_UNUSUAL("hash-algorithm-unusual", "the digest table's algorithm is not the MBN version's usual one",
            WARNING, SECURE_WORLD, "the table size says which digest it holds (SecTools signs MBN v6 with SHA-256 "
                    + "when asked: qca/msbtfw11.mbn); every digest is checked with that algorithm"),
    SIGNATURE_OUT_OF_BOUNDS("signature-out-of-bounds", "signature or certificate chain runs past the hash segment",
            ERROR, SECURE_WORLD, "the secure world verifies the signature and the chain from the metadata, which does not hold them; "
                    + "mdtload does not read past the segment"),
    DIGEST_MISMATCH("digest-mismatch", "segment bytes do not match their digest", ERROR, SECURE_WORLD,
            "auth_and_reset hashes every segment and refuses the image on a mismatch"),
    DIGEST_NOT_ZERO("digest-not-zero", "digest entry of a segment without file bytes is neither zero nor the empty digest",
            WARNING, SECURE_WORLD, "no bytes are hashed for such an entry: images with zeros and images with the "
                    + "digest of nothing there both load, so the entry is not compared"),
    FILE_BYTES_OVERLAP("file-bytes-overlap", "two segments take overlapping bytes of one file", WARNING, KERNEL,
            "__qcom_mdt_load() copies each loadable segment from its own p_offset and ignores the rest "
                    + "(PT_NOTE, PT_DYNAMIC); each digest covers its own segment, so sharing file bytes is harmless "
                    + "(each distinct range is hashed once)"),
    HASH_WORK_EXCEEDED("hash-work-exceeded", "hashing would read more than " + HashWork.FACTOR
            + " times the image's bytes", ERROR, MDTLOAD,
            "many distinct overlapping file ranges make hashing grow with e_phnum times the file, not with the file; "
                    + "the image is refused before any of it is hashed"),

    // signatures and certificate chains (validate --signatures)
    UNSIGNED("unsigned", "image has no signature or no certificate chain", ERROR, SECURE_WORLD,
            "a secure-boot device authenticates only signed images"),
    CHAIN_INVALID("chain-invalid", "certificate chain cannot be decoded or a certificate is not signed by the next",
            ERROR, SECURE_WORLD, "the secure world verifies the chain up to the root its fuses name"),
    ROOT_MISMATCH("root-mismatch", "root certificate is not the given trust anchor", ERROR, SECURE_WORLD,
            "the secure world accepts only the root whose hash its fuses hold"),
    SIGNATURE_INVALID("signature-invalid", "image signature does not verify over the signed bytes", ERROR,
            SECURE_WORLD, "the secure world verifies the signature over the hash segment before any digest"),
    SIGNATURE_SCHEME_UNKNOWN("signature-scheme-unknown", "the attestation key is of a kind no known signature scheme uses",
            ERROR, MDTLOAD, "mdtload cannot verify the signature, so --signatures cannot vouch for the image"),

    // placing an image in a carveout
    SEGMENT_OUTSIDE_CARVEOUT("segment-outside-carveout", "segment does not fit in the carveout", ERROR, KERNEL,
            "__qcom_mdt_load(): \"segment outside memory range\", -EINVAL");

    /** The kernel source the KERNEL reasons were read from. */
    public static final String KERNEL_SOURCE = "drivers/soc/qcom/mdt_loader.c of mainline Linux 6.17";

    private final String id;
    private final String summary;
    private final Severity severity;
    private final Basis basis;
    private final String reason;

    Rule(String id, String summary, Severity severity, Basis basis, String reason) {
        this.id = id;
        this.summary = summary;
        this.severity = severity;
        this.basis = basis;
        this.reason = reason;
    }

    /** Stable kebab-case id, as used in messages and JSON. */
    @JsonValue
    public String id() {
        return id;
    }

    public String summary() {
        return summary;
    }

    /** Error (the device refuses, or reading is unsafe) or warning (the device loads it). */
    public Severity severity() {
        return severity;
    }

    /** Whose behaviour the severity follows. */
    public Basis basis() {
        return basis;
    }

    /** Why the severity is what it is: the kernel function, the secure-world behaviour or the hazard. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return id;
    }
}
