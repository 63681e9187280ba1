package dev.mdtload.scm;

import dev.mdtload.address.PhysAddr;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The ARMv8 SMC calling convention as the kernel's qcom_scm-smc.c uses it: the function id
 * (include/linux/arm-smccc.h ARM_SMCCC_CALL_VAL), the arginfo word (qcom_scm.h QCOM_SCM_ARGS) and
 * the registers a0..a7.
 */
final class Smccc {
    private Smccc() {}

    // include/linux/arm-smccc.h
    static final long STD_CALL = 0;
    static final int TYPE_SHIFT = 31;
    static final long SMC_32 = 0;
    static final long SMC_64 = 1;
    static final int CALL_CONV_SHIFT = 30;
    static final long OWNER_MASK = 0x3f;
    static final int OWNER_SHIFT = 24;
    static final long FUNC_MASK = 0xffff;
    static final long OWNER_SIP = 2;

    /** Registers a2..a5 carry arguments 0..3 (kernel SCM_SMC_N_REG_ARGS). */
    static final int REG_ARGS = 4;
    /** Past four arguments, arguments 3..9 go to a buffer whose address replaces a5. */
    static final int FIRST_EXT_ARG = REG_ARGS - 1;
    static final int EXT_ARGS = ScmCall.MAX_ARGS - REG_ARGS + 1;
    /** The kernel sizes that buffer for 64-bit entries whichever convention fills it. */
    static final long EXT_ARGS_BYTES = EXT_ARGS * Long.BYTES;
    static final int REGISTERS = 8;

    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Kernel SCM_SMC_FNID: 8 bits of service, 8 bits of command. */
    static long functionNumber(int service, int command) {
        return (service & 0xffL) << 8 | (command & 0xffL);
    }

    /** ARM_SMCCC_CALL_VAL for a standard (yielding) SiP call: PAS calls may take long. */
    static long functionId(ScmConvention convention, int service, int command) {
        long conv = convention == ScmConvention.SMC64 ? SMC_64 : SMC_32;
        return STD_CALL << TYPE_SHIFT | conv << CALL_CONV_SHIFT | (OWNER_SIP & OWNER_MASK) << OWNER_SHIFT
                | (functionNumber(service, command) & FUNC_MASK);
    }

    /** How INFO_IS_CALL_AVAIL names a SiP call under SMCCC (kernel __qcom_scm_is_call_available). */
    static long availabilityId(int service, int command) {
        return functionNumber(service, command) | OWNER_SIP << OWNER_SHIFT;
    }

    /** Count in bits 3..0, then argument i's type code in bits 4+2i..5+2i. */
    static long argInfo(List<ScmArg> args) {
        long info = args.size();
        for (int i = 0; i < args.size(); i++) {
            info |= (long) (args.get(i).typeCode() & 0x3) << (4 + 2 * i);
        }
        return info;
    }

    /**
     * a0 = function id, a1 = arginfo, a2..a5 = arguments 0..3; with more than four arguments a5 is
     * {@code extArgs}, the buffer {@link #writeExtArgs} filled. a6 and a7 are zero.
     */
    static long[] registers(ScmCall call, PhysAddr extArgs) {
        List<ScmArg> args = call.args();
        long[] a = new long[REGISTERS];
        a[0] = functionId(call.convention(), call.service(), call.command());
        a[1] = argInfo(args);
        for (int i = 0; i < Math.min(args.size(), REG_ARGS); i++) {
            a[2 + i] = args.get(i).raw();
        }
        if (args.size() > REG_ARGS) {
            if (extArgs == null) {
                throw new IllegalArgumentException(call.name() + " has " + args.size() + " arguments but no argument buffer");
            }
            a[2 + FIRST_EXT_ARG] = extArgs.value();
        }
        return a;
    }

    /** Arguments 3..9 as little-endian u64 (SMC64) or u32 (SMC32) entries, absent ones zero. */
    static void writeExtArgs(ScmCall call, MemorySegment buffer) {
        List<ScmArg> args = call.args();
        boolean wide = call.convention() == ScmConvention.SMC64;
        for (int i = 0; i < EXT_ARGS; i++) {
            long value = FIRST_EXT_ARG + i < args.size() ? args.get(FIRST_EXT_ARG + i).raw() : 0;
            if (wide) {
                buffer.set(LE64, (long) i * Long.BYTES, value);
            } else {
                buffer.set(LE32, (long) i * Integer.BYTES, (int) value);
            }
        }
    }
}
