package dev.mdtload.scm;

import dev.mdtload.address.AddressWidth;

import java.util.Locale;

/**
 * How a call reaches the secure monitor, as the kernel's qcom_scm driver probes it: SMCCC with
 * 64-bit or 32-bit registers, or the ARMv7 legacy command buffer. Each carries addresses of a fixed
 * width, and an address that does not fit is refused, never cut (the 2017 venus bug).
 */
public enum ScmConvention {
    SMC64(AddressWidth.BITS64),
    SMC32(AddressWidth.BITS32),
    LEGACY(AddressWidth.BITS32);

    private final AddressWidth width;

    ScmConvention(AddressWidth width) {
        this.width = width;
    }

    public AddressWidth width() {
        return width;
    }

    /** SMC64 and SMC32 pass registers; the legacy convention passes a command buffer. */
    public boolean isSmccc() {
        return this != LEGACY;
    }

    /** The name used on the command line and in JSON: smc64, smc32, legacy. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
