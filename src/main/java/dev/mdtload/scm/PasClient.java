package dev.mdtload.scm;

import dev.mdtload.failure.Failure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.scm.ScmArg.Access;
import dev.mdtload.scm.ScmArg.Buffer;
import dev.mdtload.scm.ScmArg.Region;
import dev.mdtload.scm.ScmArg.Value;

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
    public boolean isSupported(long pasId) throws Failure, IOException {
        PasCommand query = PasCommand.IS_SUPPORTED;
        long callId = convention.isSmccc()
                ? Smccc.availabilityId(query.service(), query.command())
                : LegacyCommand.id(query.service(), query.command());
        try {
            return call(PasCommand.IS_CALL_AVAIL, pasId, new Value(callId)).result0() != 0
                    && call(query, pasId, new Value(pasId)).result0() != 0;
        } catch (ScmException refused) {
            return false;
        }
    }

    /** Hands the secure world the metadata (ELF header, program headers, hash segment) to check. */
    public void initImage(long pasId, MetadataBuffer metadata) throws Failure, IOException {
        run(PasCommand.INIT_IMAGE, pasId, new Value(pasId),
                new Buffer(metadata.addr(), metadata.memory().byteSize(), Access.RW));
    }

    /** Gives a relocatable image its place: {@code size} bytes (the load size) at {@code base}. */
    public void memSetup(long pasId, PhysAddr base, long size) throws Failure, IOException {
        run(PasCommand.MEM_SETUP, pasId, new Value(pasId), new Region(base, size), new Value(size));
    }

    /** Asks the secure world to authenticate the loaded segments and start the peripheral. */
    public void authAndReset(long pasId) throws Failure, IOException {
        run(PasCommand.AUTH_AND_RESET, pasId, new Value(pasId));
    }

    public void shutdown(long pasId) throws Failure, IOException {
        run(PasCommand.SHUTDOWN, pasId, new Value(pasId));
    }

    /** The kernel's PAS calls return {@code ret ?: res.result[0]}: a non-zero result fails too. */
    private void run(PasCommand command, long pasId, ScmArg... args)
            throws Failure, IOException {
        ScmResult result = call(command, pasId, args);
        if (result.result0() != 0) {
            throw new ScmException(command, pasId, result.status(), "EIO",
                    String.format(", result 0x%x", result.result0()));
        }
    }

    private ScmResult call(PasCommand command, long pasId, ScmArg... args)
            throws Failure, IOException {
        requirePasId(pasId);
        ScmCall call = ScmCall.of(convention, command, args);
        for (int attempt = 1; ; attempt++) {
            ScmResult result = monitor.invoke(call);
            int status = result.status();
            if (status == ScmResult.SUCCESS) {
                return result;
            }
            if (status != ScmResult.INTERRUPTED && status != ScmResult.BUSY) {
                throw new ScmException(command, pasId, status,
                        status == ScmResult.WAITQ_SLEEP ? " (wait-queue sleep is not supported)" : "");
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
