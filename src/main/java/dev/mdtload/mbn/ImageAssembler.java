package dev.mdtload.mbn;

import dev.mdtload.address.Page;
import dev.mdtload.elf.ElfClass;
import dev.mdtload.elf.ElfWriter;
import dev.mdtload.elf.ProgramHeader;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Turns loadable segments into a PIL image laid out as the real firmware in
 * {@code ../shared/firmware} is: program header 0 covers the ELF header and program headers
 * (PT_NULL, QCOM type 7, p_memsz 0), program header 1 is the hash segment (PT_NULL, QCOM type 2,
 * at the first page after the headers, p_memsz rounded up to 4 KiB), then the PT_LOAD segments
 * in the order given, each at the next page-aligned file offset. The digest table holds the
 * digest of the headers first, zeros for the hash segment itself and for segments without file
 * bytes, and the digest of every other segment's bytes.
 *
 * <pre>{@code
 * Assembled image = ImageAssembler.builder()
 *         .elfClass(ElfClass.ELF32).machine(ElfWriter.EM_QDSP6).entry(0x4b000000)
 *         .mbnVersion(6).imageId(0xc).hashAddress(0x4b100000)
 *         .segments(List.of(code, data, LoadSegment.bss(...)))
 *         .signer(null)
 *         .build().assemble();
 * image.writeSplit(Path.of("out/wpss.mdt"));
 * }</pre>
 */
public final class ImageAssembler {
    /** Program header 0's p_flags in every real image: QCOM type 7 (the ELF and program headers). */
    static final long HEADERS_FLAGS = (long) ProgramHeader.QCOM_TYPE_PHDR << ProgramHeader.QCOM_TYPE_SHIFT;
    /** The hash segment's p_flags in every real image: QCOM type 2 and bit 21. */
    static final long HASH_FLAGS = 0x0220_0000L;
    static final int HEADERS_INDEX = 0;
    static final int HASH_INDEX = 1;

    private final ElfClass elfClass;
    private final int machine;
    private final long entry;
    private final int mbnVersion;
    private final long imageId;
    private final long hashAddress;
    private final long swId;
    private final List<LoadSegment> segments;
    private final Signer signer;
    private final UnaryOperator<List<ProgramHeader>> headerEdit;
    private final DigestAlgorithm algorithm;
    private final long phoff;

    private ImageAssembler(Builder b) {
        this.elfClass = Objects.requireNonNull(b.elfClass, "elfClass");
        this.machine = Objects.requireNonNull(b.machine, "machine");
        this.entry = b.entry;
        this.mbnVersion = Objects.requireNonNull(b.mbnVersion, "mbnVersion");
        this.imageId = b.imageId;
        this.hashAddress = Objects.requireNonNull(b.hashAddress, "hashAddress");
        this.swId = b.swId;
        this.segments = List.copyOf(Objects.requireNonNull(b.segments, "segments"));
        this.signer = b.signer;
        this.headerEdit = b.headerEdit;
        if (!HashSegment.VERSIONS.contains(mbnVersion)) {
            throw new IllegalArgumentException("MBN version " + mbnVersion + " is not one of " + HashSegment.VERSIONS);
        }
        this.algorithm = b.algorithm != null ? b.algorithm : DigestAlgorithm.forVersion(mbnVersion);
        this.phoff = b.phoff != null ? b.phoff : elfClass.ehdrSize();
        if (phoff < elfClass.ehdrSize()) {
            throw new IllegalArgumentException("e_phoff " + phoff + " overlaps the " + elfClass.ehdrSize() + "-byte ELF header");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Lays out, digests and (with a signer) signs the image.
     *
     * @throws IllegalArgumentException a value does not fit its ELF field (an ELF32 address above 4 GiB)
     * @throws IllegalStateException    the signer returned a signature larger than it announced
     */
    public Assembled assemble() {
        int phnum = segments.size() + 2;
        byte[] chain = signer == null ? new byte[0] : signer.certChain();
        byte[] blankSignature = new byte[signer == null ? 0 : signer.signatureSize()];
        byte[] zero = new byte[algorithm.length()];
        // the hash segment's size depends only on the sizes of what it holds, not on the digests
        long hashSize = hashSegment(Collections.nCopies(phnum, zero), blankSignature, chain).toBytes().length;

        List<byte[]> contents = new ArrayList<>(phnum);
        contents.add(null);
        contents.add(null);
        segments.forEach(s -> contents.add(s.data()));
        List<ProgramHeader> phdrs = headerEdit.apply(layout(phnum, hashSize));
        if (phdrs.size() != phnum) {
            throw new IllegalStateException("program-header edit changed their number from " + phnum + " to " + phdrs.size());
        }
        byte[] headers = ElfWriter.headers(elfClass, machine, entry, phdrs, phoff);
        contents.set(HEADERS_INDEX, headers);

        List<byte[]> digests = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            boolean noDigest = i == HASH_INDEX || phdrs.get(i).isHashSegment() || contents.get(i).length == 0;
            digests.add(noDigest ? zero : algorithm.digest(MemorySegment.ofArray(contents.get(i))));
        }
        byte[] signature = blankSignature;
        if (signer != null) {
            byte[] signed = signer.sign(hashSegment(digests, blankSignature, chain).signedPart());
            if (signed.length > blankSignature.length) {
                throw new IllegalStateException("signer returned " + signed.length + " bytes for a "
                        + blankSignature.length + "-byte signature field");
            }
            signature = Arrays.copyOf(signed, blankSignature.length);
        }
        contents.set(HASH_INDEX, hashSegment(digests, signature, chain).toBytes());
        return new Assembled(phdrs, contents);
    }

    /** The program headers as real firmware has them; see the class comment. */
    private List<ProgramHeader> layout(int phnum, long hashSize) {
        List<ProgramHeader> phdrs = new ArrayList<>(phnum);
        long headersSize = ElfWriter.headersSize(elfClass, phoff, phnum);
        phdrs.add(new ProgramHeader(HEADERS_INDEX, ProgramHeader.PT_NULL, HEADERS_FLAGS, 0, 0, 0, headersSize, 0, 0));
        long hashOffset = Page.alignUp(headersSize);
        phdrs.add(new ProgramHeader(HASH_INDEX, ProgramHeader.PT_NULL, HASH_FLAGS, hashOffset, hashAddress, hashAddress,
                hashSize, Page.alignUp(hashSize), Page.SIZE));
        long offset = Page.alignUp(hashOffset + hashSize);
        for (LoadSegment s : segments) {
            phdrs.add(new ProgramHeader(phdrs.size(), ProgramHeader.PT_LOAD, s.flags(), offset, s.vaddr(), s.paddr(),
                    s.data().length, s.memsz(), Page.SIZE));
            offset = Page.alignUp(offset + s.data().length);
        }
        return phdrs;
    }

    private HashSegmentWriter hashSegment(List<byte[]> digests, byte[] signature, byte[] chain) {
        byte[] none = new byte[0];
        return new HashSegmentWriter(mbnVersion, imageId, hashAddress, digests, none, none, signature, chain, swId);
    }


    /** Collects the image's parameters; {@code elfClass}, {@code machine}, {@code mbnVersion}, {@code hashAddress} and {@code segments} are required. */
    public static final class Builder {
        private ElfClass elfClass;
        private Integer machine;
        private long entry;
        private Integer mbnVersion;
        private long imageId;
        private Long hashAddress;
        private long swId;
        private List<LoadSegment> segments;
        private Signer signer;
        private UnaryOperator<List<ProgramHeader>> headerEdit = UnaryOperator.identity();
        private DigestAlgorithm algorithm;
        private Long phoff;

        private Builder() {}

        /**
         * e_phoff, when the program-header table should not follow the ELF header directly as in
         * every real image: segment 0 then covers the ELF header, the zero gap and the table.
         * Kernels before "soc: qcom: mdt_loader: Actually use the e_phoff" (6.17) read the table at
         * the end of the ELF header regardless.
         */
        public Builder programHeaderOffset(long phoff) {
            this.phoff = phoff;
            return this;
        }

        /** The digest of the table, when not the version's own (SecTools signs v6 with SHA-256 on request). */
        public Builder digestAlgorithm(DigestAlgorithm algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public Builder elfClass(ElfClass elfClass) {
            this.elfClass = elfClass;
            return this;
        }

        /** e_machine, e.g. {@link ElfWriter#EM_QDSP6}. */
        public Builder machine(int machine) {
            this.machine = machine;
            return this;
        }

        /** e_entry; 0 unless set. */
        public Builder entry(long entry) {
            this.entry = entry;
            return this;
        }

        /** 3, 5, 6 or 7: SHA-256 digests up to 5, SHA-384 from 6. */
        public Builder mbnVersion(int mbnVersion) {
            this.mbnVersion = mbnVersion;
            return this;
        }

        /** The hash segment header's first word; 0 unless set. */
        public Builder imageId(long imageId) {
            this.imageId = imageId;
            return this;
        }

        /** The hash segment's p_paddr and p_vaddr, which v3 headers also point through. */
        public Builder hashAddress(long hashAddress) {
            this.hashAddress = hashAddress;
            return this;
        }

        /** The software id written into version 7's common metadata (other versions have no such field); 0 unless set. */
        public Builder swId(long swId) {
            this.swId = swId;
            return this;
        }

        /** The loadable segments, program headers 2, 3, ... in this order. */
        public Builder segments(List<LoadSegment> segments) {
            this.segments = segments;
            return this;
        }

        /** Signs the hash segment; null leaves the signature and certificate chain empty. */
        public Builder signer(Signer signer) {
            this.signer = signer;
            return this;
        }

        /**
         * Rewrites the laid-out program headers before they are written, digested and signed, keeping
         * their number. Only for building deliberately broken images (samples, tests): the segment
         * bytes stay as given, so the result is what a validator must refuse.
         */
        public Builder editProgramHeaders(UnaryOperator<List<ProgramHeader>> edit) {
            this.headerEdit = Objects.requireNonNull(edit, "edit");
            return this;
        }

        /**
         * @throws NullPointerException     a required parameter is missing (its name is the message)
         * @throws IllegalArgumentException the MBN version is not 3, 5, 6 or 7
         */
        public ImageAssembler build() {
            return new ImageAssembler(this);
        }
    }
}
