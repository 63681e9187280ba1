package dev.mdtload.scm;

import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;

import java.io.IOException;

/**
 * The secure world as a PAS load talks to it: typed PAS calls, and a buffer for the metadata. How
 * a call travels (SMC registers, a legacy command buffer, a kernel driver) is the backend's
 * business; the carveout it authenticates is the one it was opened with ({@link SecureWorldSetup}).
 */
public interface SecureMonitor extends AutoCloseable {
    /**
     * Makes {@code call} as {@code convention} carries it. Every address argument is checked
     * against the convention's width first, so nothing is called when one does not fit.
     *
     * @throws UsageFailure an address argument does not fit the convention ("32-bit")
     * @throws IOException      the secure world could not be reached (or the call not recorded)
     */
    ScmResult call(ScmConvention convention, PasCall call) throws IOException, Failure;

    /**
     * Why the secure world refused {@code call}, when it says: ": oem-id-mismatch: ...". A real
     * secure world answers only a status, so by default nothing.
     */
    default String explain(PasCall call) {
        return "";
    }

    /** A {@code size}-byte buffer the secure world can read at its physical address. */
    MetadataBuffer allocateMetadata(long size) throws IOException, Failure;

    /**
     * Whether a successful auth_and_reset means an image was authenticated and started; false for
     * a monitor that only records the calls, so no report claims what did not happen.
     */
    boolean authenticates();

    @Override
    void close() throws IOException;
}
