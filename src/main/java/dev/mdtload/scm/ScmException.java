package dev.mdtload.scm;

import dev.mdtload.failure.Refusal;

/**
 * The secure world refused or failed a PAS call. Carries the raw status and the errno the
 * kernel's qcom_scm_remap_error() would turn it into.
 */
public final class ScmException extends Refusal {
    private final PasCommand command;
    private final long pasId;
    private final int status;
    private final String errnoName;

    ScmException(PasCommand command, long pasId, int status, String errnoName, String detail) {
        super(errnoName, String.format("secure world refused %s for pas id %d: %s (%s)%s",
                command.callName(), pasId, status == ScmResult.SUCCESS ? "status 0" : "status " + status,
                errnoName, detail), null);
        this.command = command;
        this.pasId = pasId;
        this.status = status;
        this.errnoName = errnoName;
    }

    ScmException(PasCommand command, long pasId, int status, String detail) {
        this(command, pasId, status, errnoName(status), detail);
    }

    /** Kernel qcom_scm_remap_error(); anything it does not know becomes EINVAL there too. */
    static String errnoName(int status) {
        return switch (status) {
            case ScmResult.ERROR -> "EIO";
            case ScmResult.EINVAL_ARG, ScmResult.EINVAL_ADDR -> "EINVAL";
            case ScmResult.EOPNOTSUPP -> "EOPNOTSUPP";
            case ScmResult.ENOMEM -> "ENOMEM";
            case ScmResult.BUSY -> "EBUSY";
            default -> "EINVAL";
        };
    }

    public PasCommand command() {
        return command;
    }

    public long pasId() {
        return pasId;
    }

    /** The status from a0 (0 when the call itself succeeded but its result said it failed). */
    public int status() {
        return status;
    }

    /** EIO, EINVAL, EOPNOTSUPP, ENOMEM or EBUSY. */
    public String errnoName() {
        return errnoName;
    }
}
