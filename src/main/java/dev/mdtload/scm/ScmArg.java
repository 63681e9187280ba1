package dev.mdtload.scm;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.AddressWidth;
import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;

import java.util.Objects;

/**
 * One argument of a secure-monitor call, typed so that an address can only be a {@link PhysAddr}:
 * there is no way to hand the secure world a DMA address (the 2017 venus driver did, and the SCM
 * call then cut it to 32 bits). Each kind knows its arginfo type code (kernel enum
 * qcom_scm_arg_types: VAL 0, RO 1, RW 2, BUFVAL 3) and checks that it fits a convention's width.
 */
sealed interface ScmArg {
    int TYPE_VAL = 0;

    /** The arginfo type code of this argument. */
    int typeCode();

    /** The value the register or argument slot carries. */
    long raw();

    /**
     * Checks that this argument survives {@code width} unchanged.
     *
     * @param what names the argument in the message
     * @throws UsageFailure an address or its end does not fit ("does not fit a 32-bit address")
     */
    void requireFits(AddressWidth width, String what) throws UsageFailure;

    /** A plain number: a peripheral id, a size. */
    record Value(long value) implements ScmArg {
        @Override
        public int typeCode() {
            return TYPE_VAL;
        }

        @Override
        public long raw() {
            return value;
        }

        @Override
        public void requireFits(AddressWidth width, String what) {
            // values come from code, not from users (pas ids are range-checked before this)
            if (!width.fits(value)) {
                throw new IllegalArgumentException(String.format(
                        "%s: value 0x%x does not fit a %d-bit argument", what, value, width.bits()));
            }
        }
    }

    /** Whether the secure world only reads a buffer or may also write it. */
    enum Access {
        RO(1),
        RW(2);

        private final int code;

        Access(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** An argument that is a physical address range: the only way an address reaches the secure world. */
    sealed interface Address extends ScmArg {
        PhysAddr addr();

        long length();

        @Override
        default long raw() {
            return addr().value();
        }

        @Override
        default void requireFits(AddressWidth width, String what) throws UsageFailure {
            width.require(addr(), length(), what);
        }

        private static void check(PhysAddr addr, long length) {
            Objects.requireNonNull(addr, "addr");
            if (length < 0) {
                throw new IllegalArgumentException("length " + length + " of the range at " + addr + " is negative");
            }
        }
    }

    /** Memory the secure world reads (and for RW, writes) during the call, passed by its physical address. */
    record Buffer(PhysAddr addr, long length, Access access) implements Address {
        public Buffer {
            Address.check(addr, length);
            Objects.requireNonNull(access, "access");
        }

        @Override
        public int typeCode() {
            return access.code();
        }
    }

    /**
     * Physical memory named by value, not shared as a call buffer: PAS mem_setup's region, which
     * the kernel passes with arginfo VAL. Still an address, so still width-checked.
     */
    record Region(PhysAddr addr, long length) implements Address {
        public Region {
            Address.check(addr, length);
        }

        @Override
        public int typeCode() {
            return TYPE_VAL;
        }
    }

    /**
     * Physical memory named by value with permission bits in its low bits, as an SHM bridge's
     * pfn_and_ns_perm / ipfn_and_s_perm: the address must be page aligned so that the bits do not
     * touch it. Still an address, so still width-checked.
     */
    record Bridged(PhysAddr addr, long length, int perms) implements Address {
        public Bridged {
            Address.check(addr, length);
            if (!addr.isAligned(Page.SIZE) || perms < 0 || perms >= Page.SIZE) {
                throw new IllegalArgumentException(String.format("bridge at %s with permissions 0x%x: the address must "
                        + "be page aligned and the permissions below it", addr, perms));
            }
        }

        @Override
        public long raw() {
            return addr.value() | perms;
        }

        @Override
        public int typeCode() {
            return TYPE_VAL;
        }
    }
}
