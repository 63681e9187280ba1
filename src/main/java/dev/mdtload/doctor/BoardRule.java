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
 * lists them, and DoctorTest checks it does.
 */
public enum BoardRule {
    FIRMWARE_MISSING("firmware-missing", "the firmware named by firmware-name is in no directory of the search path", ERROR,
            "drivers/base/firmware_loader/main.c fw_get_filesystem_firmware() tries every fw_path[] directory; "
                    + "request_firmware() then fails with -ENOENT and the remote processor stays offline"),
    COMPANION_MISSING("companion-missing", "the DTB companion image (firmware-name's second string) is missing", ERROR,
            "drivers/remoteproc/qcom_q6v5_pas.c requests the DTB image and has it authenticated before the main "
                    + "image; when that request fails, starting the processor fails"),
    FIRMWARE_NAME_INVALID("firmware-name-invalid", "a firmware-name string is not a name under the search path", ERROR,
            "the firmware loader joins the name to each search directory; an empty, absolute or '..' name "
                    + "names no file in it"),
    FIRMWARE_NAME_ABSENT("firmware-name-absent", "the node has no firmware-name: the driver's built-in name applies",
            WARNING, "qcom_q6v5_pas.c falls back to its match data's firmware name, which the device tree does not "
                    + "carry, so doctor cannot look for it"),
    FIRMWARE_UNREADABLE("firmware-unreadable", "the firmware file exists but cannot be read", ERROR,
            "kernel_read_file() fails on it, and request_firmware() with it"),
    CARVEOUT_UNKNOWN("carveout-unknown", "no fixed carveout for an image: its fit is not checked", WARNING,
            "the image's memory-region entry is absent or names a region the kernel places at boot, so no "
                    + "address and size are known before the board runs"),
    CARVEOUT_TOO_SMALL("carveout-too-small", "the image's load size does not fit its carveout", ERROR,
            "drivers/soc/qcom/mdt_loader.c __qcom_mdt_load() refuses a segment past the region's size "
                    + "(\"segment outside memory range\", -EINVAL)"),
    CARVEOUT_ADDRESS_MISMATCH("carveout-address-mismatch", "a fixed image's address is not inside its carveout",
            ERROR, "drivers/soc/qcom/mdt_loader.c __qcom_mdt_load() places a fixed (non-relocatable) image at its "
                    + "own p_paddr, so a carveout elsewhere leaves every segment \"outside memory range\""),
    CARVEOUTS_OVERLAP("carveouts-overlap", "a processor's carveout shares bytes with another carveout", ERROR,
            "drivers/of/of_reserved_mem.c only warns about overlapping regions and keeps both; firmware loaded "
                    + "into one overwrites what the other holds");

    private final String id;
    private final String summary;
    private final Severity severity;
    private final String reason;

    BoardRule(String id, String summary, Severity severity, String reason) {
        this.id = id;
        this.summary = summary;
        this.severity = severity;
        this.reason = reason;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public String summary() {
        return summary;
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
