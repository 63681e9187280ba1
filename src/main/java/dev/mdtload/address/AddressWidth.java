package dev.mdtload.address;

import dev.mdtload.failure.UsageFailure;

/** How many bits of an address a call carries. A value that does not fit is refused, never cut. */
public enum AddressWidth {
    BITS32(32),
    BITS64(64);

    private final int bits;

    AddressWidth(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    public boolean fits(long value) {
        return this == BITS64 || (value >>> 32) == 0;
    }

    /** Checks that [{@code addr}, {@code addr + length}) is addressable at this width. */
    public PhysAddr require(PhysAddr addr, long length, String what) throws UsageFailure {
        long last = length == 0 ? addr.value() : addr.value() + length - 1;
        if (!fits(addr.value()) || !fits(last) || last < addr.value()) {
            throw new UsageFailure(String.format(
                    "%s at 0x%x (+0x%x) does not fit a %d-bit address: refusing rather than truncating it",
                    what, addr.value(), length, bits));
        }
        return addr;
    }
}
