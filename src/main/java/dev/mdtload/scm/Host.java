package dev.mdtload.scm;

/**
 * Where the OS that loads remote processors runs, which decides who guards their memory while the
 * secure world authenticates it (kernel "remoteproc: qcom: pas: Enable Secure PAS support with
 * IOMMU managed by Linux" and "remoteproc: qcom: pas: Map/unmap subsystem region before
 * auth_and_reset").
 */
public enum Host {
    /**
     * At EL1 under Qualcomm's hypervisor (QHEE, Gunyah): it traps auth_and_reset, creates the SHM
     * bridge, programs the processor's IOMMU, and takes the carveout out of Linux's stage 2, so a
     * mapping Linux keeps is harmless.
     */
    HYPERVISOR,
    /**
     * At EL2 with no hypervisor: Linux must create the SHM bridge around auth_and_reset and drop
     * its own CPU mapping of the carveout first, since a speculative access to memory that now
     * belongs to the remote processor is an XPU violation.
     */
    EL2
}
