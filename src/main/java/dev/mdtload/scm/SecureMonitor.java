package dev.mdtload.scm;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.PhysAddr;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The secure world as a PAS load talks to it: calls, plus the two things the secure world needs
 * from memory (the carveout it will authenticate, and a buffer for the metadata).
 */
public interface SecureMonitor extends AutoCloseable {
    /**
     * Encodes {@code call} for its convention and makes it. The encoding checks every address
     * against the convention's width first, so nothing is called when one does not fit.
     *
     * @throws UsageFailure an address argument does not fit the convention ("32-bit")
     * @throws IOException      the secure world could not be reached (or the call not recorded)
     */
    ScmResult invoke(ScmCall call) throws UsageFailure, IOException;

    /**
     * Tells the secure world that physical {@code [base, base + size)} is backed by
     * {@code backingFile} from {@code backingOffset}, so it can read the carveout. A real secure
     * world reads physical memory directly; this is where a simulation learns what is there.
     */
    void attach(PhysAddr base, long size, Path backingFile, long backingOffset) throws IOException;

    /** A {@code size}-byte buffer the secure world can read at its physical address. */
    MetadataBuffer allocateMetadata(long size) throws IOException;

    /**
     * Whether a successful auth_and_reset means an image was authenticated and started; false for
     * a monitor that only records the calls, so no report claims what did not happen.
     */
    boolean authenticates();

    @Override
    void close() throws IOException;
}
