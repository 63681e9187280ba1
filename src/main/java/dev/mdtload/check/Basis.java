package dev.mdtload.check;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a rule's severity comes from: whose behaviour the verdict predicts. */
public enum Basis {
    /** The Linux loader, drivers/soc/qcom/mdt_loader.c: the rule's reason names the function. */
    KERNEL("kernel", "kernel"),
    /**
     * The kernel's PAS path (qcom_mdt_pas_init(), qcom_mdt_read_metadata()), which builds the metadata
     * for the secure world; the PAS-less qcom_mdt_load_no_init() never reads it.
     */
    PAS_INIT("pas-init", "PAS init"),
    /** The secure world's PAS service, which authenticates the metadata and the loaded memory. */
    SECURE_WORLD("secure-world", "secure world"),
    /** mdtload itself: reading the image would be unsafe or unbounded, or mdtload cannot check what the device would. */
    MDTLOAD("mdtload", "mdtload's safety");

    private final String id;
    private final String label;

    Basis(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The stable id JSON carries ({@code basis} of a violation), for scripts that exempt by basis. */
    @JsonValue
    public String id() {
        return id;
    }

    public String label() {
        return label;
    }
}
