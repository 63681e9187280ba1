package dev.mdtload.scm;

import dev.mdtload.address.PhysAddr;
import dev.mdtload.scm.ScmArg.Access;
import dev.mdtload.scm.ScmArg.Buffer;
import dev.mdtload.scm.ScmArg.Region;
import dev.mdtload.scm.ScmArg.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static dev.mdtload.scm.KernelScm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasClientTest {
    /** Answers with scripted results (then success) and keeps every call it was given. */
    private static final class ScriptedMonitor implements SecureMonitor {
        final Deque<ScmResult> answers = new ArrayDeque<>();
        final List<ScmCall> calls = new ArrayList<>();

        ScriptedMonitor answer(int status, int times) {
            for (int i = 0; i < times; i++) {
                answers.add(new ScmResult(status, 0, 0, 0));
            }
            return this;
        }

        /** Each call as its convention carries it, so a test sees the arguments the kernel would pass. */
        @Override
        public ScmResult call(ScmConvention convention, PasCall call) {
            calls.add(call.on(convention));
            return answers.isEmpty() ? ScmResult.success(0) : answers.poll();
        }

        @Override
        public boolean authenticates() {
            return true;
        }

        @Override
        public MetadataBuffer allocateMetadata(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    private static PasClient client(ScriptedMonitor monitor, ScmConvention convention, int retries) {
        return new PasClient(monitor, convention, retries, Duration.ZERO);
    }

    @Test
    void call_reissuesAnInterruptedCallUntilItCompletes() throws Exception {
        ScriptedMonitor monitor = new ScriptedMonitor().answer(ScmResult.INTERRUPTED, 2);
        client(monitor, ScmConvention.SMC64, 5).authAndReset(6);
        assertEquals(3, monitor.calls.size());
        assertTrue(monitor.calls.stream().allMatch(c -> c.equals(monitor.calls.getFirst())));
    }

    @Test
    void call_givesUpOnABusySecureWorldAfterTheRetryBound() {
        ScriptedMonitor monitor = new ScriptedMonitor().answer(-12, 10);
        ScmException e = assertThrows(ScmException.class, () -> client(monitor, ScmConvention.SMC64, 3).initImage(6,
                new MetadataBuffer(PhysAddr.of(0x8000_0000L), Arena.ofAuto().allocate(16))));
        assertEquals(4, monitor.calls.size(), "one call and three retries");
        assertEquals(-12, e.status());
        assertEquals("EBUSY", e.errnoName());
        assertTrue(e.getMessage().contains("after 4 attempts"), e.getMessage());
    }

    @Test
    void call_retriesBusyTheKernelsTwentyTimesByDefault() {
        ScriptedMonitor monitor = new ScriptedMonitor().answer(-12, 100);
        PasClient client = new PasClient(monitor, ScmConvention.SMC64, 20, Duration.ZERO);
        assertThrows(ScmException.class, () -> client.shutdown(6));
        assertEquals(21, monitor.calls.size());
        assertEquals(20, PasClient.MAX_RETRIES, "kernel QCOM_SCM_EBUSY_MAX_RETRY");
        assertEquals(Duration.ofMillis(30), PasClient.BUSY_WAIT, "kernel QCOM_SCM_EBUSY_WAIT_MS");
    }

    /** Kernel qcom_scm_remap_error(). */
    @ParameterizedTest
    @CsvSource({"-1, EIO", "-2, EINVAL", "-3, EINVAL", "-4, EOPNOTSUPP", "-5, ENOMEM", "-99, EINVAL", "2, EINVAL"})
    void call_turnsANegativeStatusIntoAnErrnoNamingThePasIdAndTheCall(int status, String errno) {
        ScriptedMonitor monitor = new ScriptedMonitor().answer(status, 1);
        ScmException e = assertThrows(ScmException.class, () -> client(monitor, ScmConvention.SMC64, 5).authAndReset(6));
        assertEquals(1, monitor.calls.size(), "not retried");
        assertEquals(status, e.status());
        assertEquals(errno, e.errnoName());
        assertEquals(PasCommand.AUTH_AND_RESET, e.command());
        assertEquals(6, e.pasId());
        assertTrue(e.getMessage().contains("auth_and_reset") && e.getMessage().contains("pas id 6")
                && e.getMessage().contains(errno), e.getMessage());
    }

    @Test
    void call_treatsANonZeroResultAsFailureAsTheKernelDoes() {
        ScriptedMonitor monitor = new ScriptedMonitor();
        monitor.answers.add(ScmResult.success(5));
        ScmException e = assertThrows(ScmException.class, () -> client(monitor, ScmConvention.SMC64, 5).shutdown(9));
        assertTrue(e.getMessage().contains("result 0x5") && e.getMessage().contains("shutdown"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"SMC64", "SMC32", "LEGACY"})
    void isSupported_firstAsksWhetherTheCallExistsNamingItAsTheConventionDoes(ScmConvention convention) throws Exception {
        ScriptedMonitor monitor = new ScriptedMonitor();
        monitor.answers.add(ScmResult.success(1));
        monitor.answers.add(ScmResult.success(1));
        assertTrue(client(monitor, convention, 5).isSupported(6));
        ScmCall avail = monitor.calls.get(0);
        assertEquals(QCOM_SCM_SVC_INFO, avail.service());
        assertEquals(QCOM_SCM_INFO_IS_CALL_AVAIL, avail.command());
        long expectedId = convention == ScmConvention.LEGACY
                ? SCM_LEGACY_FNID(QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_IS_SUPPORTED)
                : SCM_SMC_FNID(QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_IS_SUPPORTED) | ARM_SMCCC_OWNER_SIP << ARM_SMCCC_OWNER_SHIFT;
        assertEquals(List.of(new Value(expectedId)), avail.args());
        ScmCall supported = monitor.calls.get(1);
        assertEquals(QCOM_SCM_PIL_PAS_IS_SUPPORTED, supported.command());
        assertEquals(List.of(new Value(6)), supported.args());
    }

    @Test
    void isSupported_isFalseWithoutAskingWhenTheCallIsNotAvailable() throws Exception {
        ScriptedMonitor monitor = new ScriptedMonitor();
        monitor.answers.add(ScmResult.success(0));
        assertFalse(client(monitor, ScmConvention.SMC64, 5).isSupported(6));
        assertEquals(1, monitor.calls.size());
    }

    @Test
    void isSupported_isFalseWhenTheSecureWorldRefusesTheQuestion() throws Exception {
        ScriptedMonitor monitor = new ScriptedMonitor().answer(ScmResult.EOPNOTSUPP, 1);
        assertFalse(client(monitor, ScmConvention.SMC64, 5).isSupported(6));
        monitor.answers.add(ScmResult.success(1));
        monitor.answer(ScmResult.EINVAL_ARG, 1);
        assertFalse(client(monitor, ScmConvention.SMC64, 5).isSupported(6));
        assertEquals(3, monitor.calls.size());
    }

    @Test
    void pasCalls_passTheKernelsArguments() throws Exception {
        ScriptedMonitor monitor = new ScriptedMonitor();
        PasClient pas = client(monitor, ScmConvention.SMC32, 5);
        PhysAddr metadata = PhysAddr.of(0x8000_0000L);
        pas.initImage(6, new MetadataBuffer(metadata, Arena.ofAuto().allocate(0x1ac0 + 0x154)));
        pas.memSetup(6, PhysAddr.of(0x9ae0_0000L), 0x190_0000);
        pas.authAndReset(6);
        pas.shutdown(6);
        assertEquals(List.of(
                ScmCall.of(ScmConvention.SMC32, PasCommand.INIT_IMAGE, new Value(6), new Buffer(metadata, 0x1c14, Access.RW)),
                ScmCall.of(ScmConvention.SMC32, PasCommand.MEM_SETUP, new Value(6),
                        new Region(PhysAddr.of(0x9ae0_0000L), 0x190_0000), new Value(0x190_0000)),
                ScmCall.of(ScmConvention.SMC32, PasCommand.AUTH_AND_RESET, new Value(6)),
                ScmCall.of(ScmConvention.SMC32, PasCommand.SHUTDOWN, new Value(6))), monitor.calls);
    }

    @Test
    void pasCalls_refuseAnIdThatIsNotAU32() {
        ScriptedMonitor monitor = new ScriptedMonitor();
        PasClient pas = client(monitor, ScmConvention.SMC64, 5);
        assertThrows(IllegalArgumentException.class, () -> pas.authAndReset(-1));
        assertThrows(IllegalArgumentException.class, () -> pas.authAndReset(0x1_0000_0000L));
        assertTrue(monitor.calls.isEmpty());
    }
}
