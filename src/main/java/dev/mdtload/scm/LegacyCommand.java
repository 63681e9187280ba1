package dev.mdtload.scm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The ARMv7 legacy convention's command buffer (kernel qcom_scm-legacy.c, scm_legacy_call()):
 * a command header, the arguments as 32-bit words, a response header the secure world fills,
 * and room for three results. Its physical address is passed in a register; every argument in
 * it is 32 bits wide.
 */
final class LegacyCommand {
    private LegacyCommand() {}

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Kernel MAX_QCOM_SCM_RETS. */
    static final int MAX_RETS = 3;

    /*
     * struct scm_legacy_command {
     *         __le32 len;              total of command and response
     *         __le32 buf_offset;       start of the arguments
     *         __le32 resp_hdr_offset;  start of struct scm_legacy_response
     *         __le32 id;               (svc << 10) | cmd
     *         __le32 buf[];
     * };
     */
    static final StructLayout COMMAND = MemoryLayout.structLayout(
            LE32.withName("len"),
            LE32.withName("buf_offset"),
            LE32.withName("resp_hdr_offset"),
            LE32.withName("id")).withName("scm_legacy_command");

    /*
     * struct scm_legacy_response {
     *         __le32 len;          room for the response
     *         __le32 buf_offset;   results, from the start of this header
     *         __le32 is_complete;
     * };
     */
    static final StructLayout RESPONSE = MemoryLayout.structLayout(
            LE32.withName("len"),
            LE32.withName("buf_offset"),
            LE32.withName("is_complete")).withName("scm_legacy_response");

    private static final VarHandle LEN = field(COMMAND, "len");
    private static final VarHandle BUF_OFFSET = field(COMMAND, "buf_offset");
    private static final VarHandle RESP_HDR_OFFSET = field(COMMAND, "resp_hdr_offset");
    private static final VarHandle ID = field(COMMAND, "id");
    private static final VarHandle RESP_LEN = field(RESPONSE, "len");
    private static final VarHandle RESP_BUF_OFFSET = field(RESPONSE, "buf_offset");
    private static final VarHandle IS_COMPLETE = field(RESPONSE, "is_complete");

    private static VarHandle field(StructLayout layout, String name) {
        return layout.varHandle(groupElement(name));
    }

    /** The whole buffer for {@code argCount} arguments, as the kernel allocates it. */
    static StructLayout layout(int argCount) {
        return MemoryLayout.structLayout(
                COMMAND.withName("command"),
                MemoryLayout.sequenceLayout(argCount, LE32).withName("buf"),
                RESPONSE.withName("response"),
                MemoryLayout.sequenceLayout(MAX_RETS, LE32).withName("results"));
    }

    /** Kernel SCM_LEGACY_FNID. */
    static long id(int service, int command) {
        return (long) service << 10 | (command & 0x3ff);
    }

    /** The command buffer for {@code call}, its response part zeroed for the secure world to fill. */
    static MemorySegment encode(ScmCall call, SegmentAllocator allocator) {
        List<ScmArg> args = call.args();
        StructLayout layout = layout(args.size());
        MemorySegment buffer = allocator.allocate(layout);
        buffer.fill((byte) 0);
        long argsAt = layout.byteOffset(groupElement("buf"));
        LEN.set(buffer, 0L, (int) layout.byteSize());
        BUF_OFFSET.set(buffer, 0L, (int) argsAt);
        RESP_HDR_OFFSET.set(buffer, 0L, (int) layout.byteOffset(groupElement("response")));
        ID.set(buffer, 0L, (int) id(call.service(), call.command()));
        for (int i = 0; i < args.size(); i++) {
            buffer.set(LE32, argsAt + (long) i * Integer.BYTES, (int) args.get(i).raw());
        }
        return buffer;
    }

    /**
     * The answer to a command: {@code status} from a0, and on success the results the secure world
     * wrote behind the response header. The kernel reads no response after a non-zero status.
     */
    static ScmResult decode(int status, MemorySegment buffer) {
        if (status != ScmResult.SUCCESS) {
            return new ScmResult(status, 0, 0, 0);
        }
        long responseAt = Integer.toUnsignedLong((int) RESP_HDR_OFFSET.get(buffer, 0L));
        long room = Integer.toUnsignedLong((int) RESP_LEN.get(buffer, responseAt));
        long resultsAt = Integer.toUnsignedLong((int) RESP_BUF_OFFSET.get(buffer, responseAt));
        long resultsEnd = responseAt + resultsAt + MAX_RETS * Integer.BYTES;
        if ((int) IS_COMPLETE.get(buffer, responseAt) == 0 || resultsAt < RESPONSE.byteSize()
                || resultsAt + MAX_RETS * Integer.BYTES > room || resultsEnd > buffer.byteSize()) {
            throw new IllegalStateException(String.format(
                    "secure world answered success with a malformed legacy response (len %d, buf_offset %d)",
                    room, resultsAt));
        }
        long[] results = new long[MAX_RETS];
        for (int i = 0; i < MAX_RETS; i++) {
            results[i] = Integer.toUnsignedLong(buffer.get(LE32, responseAt + resultsAt + (long) i * Integer.BYTES));
        }
        return new ScmResult(status, results[0], results[1], results[2]);
    }
}
