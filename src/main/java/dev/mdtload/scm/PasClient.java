package dev.mdtload.scm;

import dev.mdtload.failure.Failure;
import dev.mdtload.address.PhysAddr;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The peripheral authentication service, called the way the kernel's qcom_scm.c does: the same
 * commands, arguments and arginfo, the same retries, and a refusal as an {@link ScmException}.
 *
 * <p>A boot is {@link #initImage} → {@link #memSetup} (relocatable images) → copy the segments →
 * {@link #authAndReset}; {@link #shutdown} stops the peripheral or cleans up after a failure.
 */
public final class PasClient {
    /** Kernel QCOM_SCM_EBUSY_MAX_RETRY; the kernel re-issues interrupted calls forever, we do not. */
    static final int MAX_RETRIES = 20;
    /** Kernel QCOM_SCM_EBUSY_WAIT_MS. */
    static final Duration BUSY_WAIT = Duration.ofMillis(30);

    private final SecureMonitor monitor;
    private final ScmConvention convention;
    private final int maxRetries;
    private final Duration busyWait;

    public PasClient(SecureMonitor monitor, ScmConvention convention) {
        this(monitor, convention, MAX_RETRIES, BUSY_WAIT);
    }

    PasClient(SecureMonitor monitor, ScmConvention convention, int maxRetries, Duration busyWait) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.convention = Objects.requireNonNull(convention, "convention");
        this.maxRetries = maxRetries;
        this.busyWait = busyWait;
    }

    public ScmConvention convention() {
        return convention;
    }

    /**
     * Kernel qcom_scm_pas_supported(): whether the secure world has the IS_SUPPORTED call at all
     * (INFO IS_CALL_AVAIL, which names it as the convention does), then whether it supports this
     * id. As there, a refused query means no.
     */
    public boolean isSupported(long pasId) throws IOException, Failure {
        try {
            return call(new PasCall.CallAvailable(pasId, PasCommand.IS_SUPPORTED)).result0() != 0
                    && call(new PasCall.Supported(pasId)).result0() != 0;
        } catch (ScmException refused) {
            return false;
        }
    }

    /** Hands the secure world the metadata (ELF header, program headers, hash segment) to check. */
    public void initImage(long pasId, MetadataBuffer metadata) throws IOException, Failure {
        run(new PasCall.InitImage(pasId, metadata));
    }

    /** Gives a relocatable image its place: {@code size} bytes (the load size) at {@code base}. */
    public void memSetup(long pasId, PhysAddr base, long size) throws IOException, Failure {
        run(new PasCall.MemSetup(pasId, base, size));
    }

    /** Asks the secure world to authenticate the loaded segments and start the peripheral. */
    public void authAndReset(long pasId) throws IOException, Failure {
        run(new PasCall.AuthAndReset(pasId));
    }

    public void shutdown(long pasId) throws IOException, Failure {
        run(new PasCall.Shutdown(pasId));
    }

    /**
     * Kernel qcom_scm_pas_get_rsc_table(): hands the secure world the firmware's own resource
     * table and room for its answer. PIL images carry no section headers, so no
     * {@code .resource_table} either: the table handed in is the empty one the kernel passes then
     * (TrustZone takes no NULL buffer), and the answer gets the kernel's MAX_RSCTABLE_SIZE.
     *
     * @throws ScmException refused, or an answer that does not fit the room given
     */
    public ResourceTable resourceTable(long pasId) throws IOException, Failure {
        MetadataBuffer input = monitor.allocateMetadata(ResourceTable.HEADER_BYTES);
        input.memory().fill((byte) 0);
        MetadataBuffer output = monitor.allocateMetadata(ResourceTable.MAX_BYTES);
        ScmResult result = run(new PasCall.GetRscTable(pasId, input, output));
        // the size is in result[2], whether the call passed or not (qcom_scm.c)
        long size = result.result2();
        if (size < 0 || size > output.memory().byteSize()) {
            throw new ScmException(PasCommand.GET_RSC_TABLE, pasId, result.status(), "E2BIG",
                    String.format(": a resource table of %d bytes, room for %d", size, output.memory().byteSize()));
        }
        return ResourceTable.parse(PasCommand.GET_RSC_TABLE, pasId, output.memory().asSlice(0, size));
    }

    /**
     * Kernel qcom_tzmem_shm_bridge_create() over {@code [base, base + size)}: the secure world may
     * then reach that memory although no hypervisor shared it.
     *
     * @return the bridge's handle, for {@link #shmBridgeDelete}
     */
    public long shmBridgeCreate(long pasId, PhysAddr base, long size) throws IOException, Failure {
        // *handle = res.result[1] (qcom_scm_shm_bridge_create)
        return run(new PasCall.ShmBridgeCreate(pasId, base, size)).result1();
    }

    public void shmBridgeDelete(long pasId, long handle) throws IOException, Failure {
        run(new PasCall.ShmBridgeDelete(pasId, handle));
    }

    /** The kernel's PAS calls return {@code ret ?: res.result[0]}: a non-zero result fails too. */
    private ScmResult run(PasCall call) throws IOException, Failure {
        ScmResult result = call(call);
        if (result.result0() != 0) {
            throw new ScmException(call.command(), call.pasId(), result.status(), "EIO",
                    String.format(", result 0x%x", result.result0()));
        }
        return result;
    }

    private ScmResult call(PasCall call) throws IOException, Failure {
        requirePasId(call.pasId());
        PasCommand command = call.command();
        long pasId = call.pasId();
        for (int attempt = 1; ; attempt++) {
            ScmResult result = monitor.call(convention, call);
            int status = result.status();
            if (status == ScmResult.SUCCESS) {
                return result;
            }
            if (status != ScmResult.INTERRUPTED && status != ScmResult.BUSY) {
                throw new ScmException(command, pasId, status,
                        (status == ScmResult.WAITQ_SLEEP ? " (wait-queue sleep is not supported)" : "") + monitor.explain(call));
            }
            if (attempt > maxRetries) {
                throw new ScmException(command, pasId, status, " after " + attempt + " attempts");
            }
            if (status == ScmResult.BUSY) {
                pause();
            }
        }
    }

    private void pause() throws InterruptedIOException {
        try {
            Thread.sleep(busyWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the secure world was busy");
        }
    }

    /** PAS ids are u32 in every kernel prototype. */
    static long requirePasId(long pasId) {
        if (pasId < 0 || pasId > 0xffff_ffffL) {
            throw new IllegalArgumentException("pas id " + pasId + " is not a 32-bit unsigned number");
        }
        return pasId;
    }
}
