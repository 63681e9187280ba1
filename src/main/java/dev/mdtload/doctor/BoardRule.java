package dev.mdtload.doctor;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mdtload.check.Severity;

import static dev.mdtload.check.Severity.ERROR;
import static dev.mdtload.check.Severity.WARNING;

/**
 * What {@code doctor} finds wrong with a remote processor beyond its image: a board fact, not a
 * byte of the file, so these live beside {@link dev.mdtload.check.Rule} rather than in it (that
 * table is the image rules, each with a broken sample). The image's own verdict keeps its
 * {@link dev.mdtload.check.Rule} ids. Ids are stable: scripts match on them. README.md ("Doctor")
 * lists them with what each means, and BoardRuleTest checks it does.
 */
enum BoardRule {
    FIRMWARE_MISSING("firmware-missing", ERROR,
            "drivers/base/firmware_loader/main.c fw_get_filesystem_firmware() tries every fw_path[] directory; "
                    + "request_firmware() then fails with -ENOENT and the remote processor stays offline"),
    COMPANION_MISSING("companion-missing", ERROR,
            "drivers/remoteproc/qcom_q6v5_pas.c requests the DTB image and has it authenticated before the main "
                    + "image; when that request fails, starting the processor fails"),
    FIRMWARE_NAME_INVALID("firmware-name-invalid", ERROR,
            "the firmware loader joins the name to each search directory; an empty, absolute or '..' name "
                    + "names no file in it"),
    FIRMWARE_NAME_ABSENT("firmware-name-absent", WARNING,
            "drivers/remoteproc/qcom_q6v5_pas.c falls back to its match data's firmware name, which the device tree does not "
                    + "carry, so doctor cannot look for it"),
    CARVEOUT_MISSING("carveout-missing", ERROR,
            "drivers/remoteproc/qcom_q6v5_pas.c qcom_pas_alloc_memory_region() needs memory-region entry 0 for "
                    + "the image and 1 for a DTB companion; without it (\"no memory-region specified\") the "
                    + "processor never probes"),
    CARVEOUT_UNKNOWN("carveout-unknown", WARNING,
            "the image's memory-region entry is absent (a driver other than the PAS one) or names a region the "
                    + "kernel places at boot, so no address and size are known before the board runs"),
    CARVEOUT_TOO_SMALL("carveout-too-small", ERROR,
            "drivers/soc/qcom/mdt_loader.c __qcom_mdt_load() refuses a segment past the region's size "
                    + "(\"segment outside memory range\", -EINVAL)"),
    CARVEOUT_ADDRESS_MISMATCH("carveout-address-mismatch", ERROR,
            "drivers/soc/qcom/mdt_loader.c __qcom_mdt_load() places a fixed (non-relocatable) image at its "
                    + "own p_paddr, so a carveout elsewhere leaves every segment \"outside memory range\""),
    CARVEOUTS_OVERLAP("carveouts-overlap", ERROR,
            "drivers/of/of_reserved_mem.c __rmem_check_for_overlap() only prints \"OVERLAP DETECTED!\" and keeps "
                    + "both regions; firmware loaded into one overwrites what the other holds");

    private final String id;
    private final Severity severity;
    private final String reason;

    BoardRule(String id, Severity severity, String reason) {
        this.id = id;
        this.severity = severity;
        this.reason = reason;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    /** Why the device fails (or, for a warning, why doctor cannot tell). */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return id;
    }
}
