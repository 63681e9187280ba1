package dev.mdtload.scm;


import dev.mdtload.failure.Failure;
import dev.mdtload.failure.UsageFailure;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.List;

/**
 * A call in the exact form the secure monitor receives it: SMCCC registers (plus the argument
 * buffer when there are more than four arguments), or a legacy command buffer. Every backend
 * encodes through {@link #encode}, so the width check always comes before the call.
 */
sealed interface WireCall {
    /** Where a backend puts buffers the secure world reads by physical address. */
    @FunctionalInterface
    interface SharedMemory {
        MetadataBuffer allocate(long size) throws IOException, Failure;
    }

    /** a0..a7; {@code extArgs} is null unless the call has more than four arguments. */
    record Smc(long[] registers, MetadataBuffer extArgs) implements WireCall {}

    /** The command buffer, in memory the backend can hand over. */
    record Legacy(MemorySegment command) implements WireCall {}

    /**
     * Checks every argument against the convention's width, then encodes.
     *
     * @param shared for the SMCCC argument buffer (only with more than four arguments)
     * @param local  for the legacy command buffer
     * @throws UsageFailure an address or its end does not fit the convention: nothing was called
     */
    static WireCall encode(ScmCall call, SharedMemory shared, SegmentAllocator local)
            throws IOException, Failure {
        requireWidth(call);
        if (!call.convention().isSmccc()) {
            return new Legacy(LegacyCommand.encode(call, local));
        }
        MetadataBuffer extArgs = null;
        if (call.args().size() > Smccc.REG_ARGS) {
            extArgs = shared.allocate(Smccc.EXT_ARGS_BYTES);
            extArgs.memory().fill((byte) 0);
            Smccc.writeExtArgs(call, extArgs.memory());
            call.convention().width().require(extArgs.addr(), Smccc.EXT_ARGS_BYTES,
                    call.name() + " argument buffer for the " + call.convention().id() + " convention");
        }
        return new Smc(Smccc.registers(call, extArgs == null ? null : extArgs.addr()), extArgs);
    }

    private static void requireWidth(ScmCall call) throws UsageFailure {
        List<ScmArg> args = call.args();
        for (int i = 0; i < args.size(); i++) {
            args.get(i).requireFits(call.convention().width(), String.format("%s argument %d for the %s convention",
                    call.name(), i, call.convention().id()));
        }
    }
}
