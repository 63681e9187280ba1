package dev.mdtload.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.mbn.HashSegment;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Target (c): the hash-segment reader on arbitrary bytes with an arbitrary program-header count.
 * Input layout: e_phnum as a little-endian u16 (the field's whole range), then the segment bytes.
 * A parsed segment must keep every region it reports inside its bytes, in the documented order,
 * and hold exactly one digest per program header.
 */
class HashSegmentFuzzTest {
    static final int HASH_INDEX = 1;

    @FuzzTest
    void hashSegment(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int phnum = Byte.toUnsignedInt(input[0]) | Byte.toUnsignedInt(input[1]) << 8;
        MemorySegment bytes = MemorySegment.ofArray(input).asSlice(2);
        HashSegment hash;
        try {
            hash = HashSegment.parse(bytes, phnum, "fuzz.mdt", HASH_INDEX);
        } catch (InvalidImageException e) {
            Verdicts.requireRuled(e);
            if (e.violations().stream().anyMatch(v -> v.segment() == null || v.segment() != HASH_INDEX)) {
                throw new AssertionError("a hash-segment violation names another segment: " + e.violations());
            }
            if (e.violations().stream().anyMatch(v -> !v.rule().id().startsWith("hash-") && v.rule() != Rule.SIGNATURE_OUT_OF_BOUNDS)) {
                throw new AssertionError("the hash-segment reader broke a rule that is not its own: " + e.violations());
            }
            return;
        }
        requireInside(hash, bytes.byteSize());
        if (hash.digestCount() != phnum) {
            throw new AssertionError(hash.digestCount() + " digests for " + phnum + " program headers");
        }
        if (phnum > 0 && hash.digest(phnum - 1).length != hash.algorithm().length()) {
            throw new AssertionError("last digest has the wrong length");
        }
        if (hash.signedBytes().byteSize() != hash.digestTable().end()) {
            throw new AssertionError("signed bytes do not end with the digest table");
        }
    }

    /** Regions follow one another from the header on, and the last ends inside the segment. */
    private static void requireInside(HashSegment hash, long size) {
        List<HashSegment.Region> order = List.of(hash.qtiMetadata(), hash.oemMetadata(), hash.digestTable(),
                hash.qtiSignature(), hash.qtiCertChain(), hash.signature(), hash.certChain());
        long at = hash.headerSize();
        for (HashSegment.Region r : order) {
            if (r.offset() != at || r.length() < 0 || r.end() > size) {
                throw new AssertionError("region " + r + " out of place in a " + size + "-byte segment (expected at " + at + ")");
            }
            at = r.end();
        }
    }
}
