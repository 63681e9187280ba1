package dev.mdtload.scm;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What a secure world checks of an image's signed attributes before init_image succeeds: the
 * board's fuses against the image (root hash, OEM and model ids, anti-rollback version) and the
 * PAS id against its SW_ID. A real one answers only a status; a simulated one given a policy
 * refuses as the board would and says why.
 */
@FunctionalInterface
public interface ImagePolicy {
    /** Accepts every image that parses: a board whose fuses are not known. */
    ImagePolicy NONE = (pasId, metadata) -> List.of();

    /**
     * Every reason to refuse {@code metadata} (ELF header and program headers, then the hash
     * segment, as init_image hands them over) for {@code pasId}, one line each; empty to accept.
     */
    List<String> refusals(long pasId, MemorySegment metadata);
}
