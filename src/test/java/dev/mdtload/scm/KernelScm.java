package dev.mdtload.scm;

/**
 * The kernel's definitions, transcribed as published (include/linux/arm-smccc.h and
 * drivers/firmware/qcom/qcom_scm.h), so tests compare the encoder with them rather than with itself.
 */
final class KernelScm {
    private KernelScm() {}

    // arm-smccc.h
    static final long ARM_SMCCC_STD_CALL = 0;
    static final long ARM_SMCCC_FAST_CALL = 1;
    static final int ARM_SMCCC_TYPE_SHIFT = 31;
    static final long ARM_SMCCC_SMC_32 = 0;
    static final long ARM_SMCCC_SMC_64 = 1;
    static final int ARM_SMCCC_CALL_CONV_SHIFT = 30;
    static final long ARM_SMCCC_OWNER_MASK = 0x3F;
    static final int ARM_SMCCC_OWNER_SHIFT = 24;
    static final long ARM_SMCCC_FUNC_MASK = 0xFFFF;
    static final long ARM_SMCCC_OWNER_SIP = 2;

    // qcom_scm.h
    static final int QCOM_SCM_VAL = 0;
    static final int QCOM_SCM_RO = 1;
    static final int QCOM_SCM_RW = 2;
    static final int QCOM_SCM_SVC_PIL = 0x02;
    static final int QCOM_SCM_PIL_PAS_INIT_IMAGE = 0x01;
    static final int QCOM_SCM_PIL_PAS_MEM_SETUP = 0x02;
    static final int QCOM_SCM_PIL_PAS_AUTH_AND_RESET = 0x05;
    static final int QCOM_SCM_PIL_PAS_SHUTDOWN = 0x06;
    static final int QCOM_SCM_PIL_PAS_IS_SUPPORTED = 0x07;
    static final int QCOM_SCM_PIL_PAS_MSS_RESET = 0x0a;
    static final int QCOM_SCM_SVC_INFO = 0x06;
    static final int QCOM_SCM_INFO_IS_CALL_AVAIL = 0x01;
    static final int QCOM_SCM_PIL_PAS_GET_RSCTABLE = 0x21;
    static final int QCOM_SCM_SVC_MP = 0x0c;
    static final int QCOM_SCM_MP_SHM_BRIDGE_DELETE = 0x1d;
    static final int QCOM_SCM_MP_SHM_BRIDGE_CREATE = 0x1e;

    static long ARM_SMCCC_CALL_VAL(long type, long callingConvention, long owner, long funcNum) {
        return (type << ARM_SMCCC_TYPE_SHIFT)
                | (callingConvention << ARM_SMCCC_CALL_CONV_SHIFT)
                | ((owner & ARM_SMCCC_OWNER_MASK) << ARM_SMCCC_OWNER_SHIFT)
                | (funcNum & ARM_SMCCC_FUNC_MASK);
    }

    static long SCM_SMC_FNID(long s, long c) {
        return ((s & 0xFF) << 8) | (c & 0xFF);
    }

    static long SCM_LEGACY_FNID(long s, long c) {
        return (s << 10) | (c & 0x3ff);
    }

    /** QCOM_SCM_ARGS(num, a, b, ...): missing types are 0, as the macro pads them. */
    static long QCOM_SCM_ARGS(int num, int... types) {
        int[] t = new int[10];
        System.arraycopy(types, 0, t, 0, types.length);
        return ((t[0] & 0x3L) << 4)
                | ((t[1] & 0x3L) << 6)
                | ((t[2] & 0x3L) << 8)
                | ((t[3] & 0x3L) << 10)
                | ((t[4] & 0x3L) << 12)
                | ((t[5] & 0x3L) << 14)
                | ((t[6] & 0x3L) << 16)
                | ((t[7] & 0x3L) << 18)
                | ((t[8] & 0x3L) << 20)
                | ((t[9] & 0x3L) << 22)
                | (num & 0xfL);
    }

    /** The function id qcom_scm-smc.c puts in a0 for a non-atomic SiP call. */
    static long stdSipCall(long convention, int svc, int cmd) {
        return ARM_SMCCC_CALL_VAL(ARM_SMCCC_STD_CALL, convention, ARM_SMCCC_OWNER_SIP, SCM_SMC_FNID(svc, cmd));
    }
}
