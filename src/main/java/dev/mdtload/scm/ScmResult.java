package dev.mdtload.scm;

/**
 * What the secure world answered: the status from register a0 (as the kernel reads it, a 32-bit
 * signed value) and the three results (a1..a3, or the legacy response buffer).
 */
public record ScmResult(int status, long result0, long result1, long result2) {
    // Status codes, kernel drivers/firmware/qcom/qcom_scm.h ("common error codes").
    public static final int SUCCESS = 0;
    public static final int INTERRUPTED = 1;
    public static final int WAITQ_SLEEP = 2;
    public static final int ERROR = -1;
    public static final int EINVAL_ARG = -2;
    public static final int EINVAL_ADDR = -3;
    public static final int EOPNOTSUPP = -4;
    public static final int ENOMEM = -5;
    public static final int BUSY = -12;

    public static ScmResult success(long result0) {
        return new ScmResult(SUCCESS, result0, 0, 0);
    }
}
