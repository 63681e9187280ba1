package dev.mdtload.scm;

import java.util.Arrays;
import java.util.Optional;

/**
 * The secure-world calls a PAS load makes (kernel drivers/firmware/qcom/qcom_scm.h): the PIL
 * service's commands, the INFO service's IS_CALL_AVAIL that asks whether one of them exists, and
 * the MP service's SHM bridge calls that a Linux at EL2 makes around auth_and_reset.
 */
public enum PasCommand {
    INIT_IMAGE(PasCommand.SVC_PIL, 0x01, "init_image"),
    MEM_SETUP(PasCommand.SVC_PIL, 0x02, "mem_setup"),
    AUTH_AND_RESET(PasCommand.SVC_PIL, 0x05, "auth_and_reset"),
    SHUTDOWN(PasCommand.SVC_PIL, 0x06, "shutdown"),
    IS_SUPPORTED(PasCommand.SVC_PIL, 0x07, "is_supported"),
    MSS_RESET(PasCommand.SVC_PIL, 0x0a, "mss_reset"),
    IS_CALL_AVAIL(PasCommand.SVC_INFO, 0x01, "is_call_avail"),
    /** QCOM_SCM_PIL_PAS_GET_RSCTABLE ("firmware: qcom_scm: Add qcom_scm_pas_get_rsc_table() to get resource table"). */
    GET_RSC_TABLE(PasCommand.SVC_PIL, 0x21, "get_rsc_table"),
    /** QCOM_SCM_MP_SHM_BRIDGE_DELETE. */
    SHM_BRIDGE_DELETE(PasCommand.SVC_MP, 0x1d, "shm_bridge_delete"),
    /** QCOM_SCM_MP_SHM_BRIDGE_CREATE. */
    SHM_BRIDGE_CREATE(PasCommand.SVC_MP, 0x1e, "shm_bridge_create");

    /** QCOM_SCM_SVC_PIL: peripheral image loading. */
    public static final int SVC_PIL = 0x02;
    /** QCOM_SCM_SVC_INFO. */
    public static final int SVC_INFO = 0x06;
    /** QCOM_SCM_SVC_MP: memory protection. */
    public static final int SVC_MP = 0x0c;

    private final int service;
    private final int command;
    private final String callName;

    PasCommand(int service, int command, String callName) {
        this.service = service;
        this.command = command;
        this.callName = callName;
    }

    public int service() {
        return service;
    }

    public int command() {
        return command;
    }

    /** Lowercase, as in the kernel's function names and in error messages: "auth_and_reset". */
    public String callName() {
        return callName;
    }

    public static Optional<PasCommand> of(int service, int command) {
        return Arrays.stream(values()).filter(c -> c.service == service && c.command == command).findFirst();
    }
}
