package dev.mdtload.scm;

import dev.mdtload.failure.Failure;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;

import java.io.IOException;
import java.io.Writer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dry run: writes every call it is asked to make as one JSON line, in its exact wire form
 * (function id, arginfo and registers, or the legacy command buffer), with the contents of the
 * shared buffers it allocated, so a script can replay the sequence on a board. Every call
 * "succeeds"; questions of availability are answered yes, so a dry run goes all the way.
 *
 * <p>Shared buffers live in memory here, at physical addresses counted up from the declared base.
 */
public final class RecordingSecureMonitor implements SecureMonitor {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final HexFormat HEX = HexFormat.of();

    /** One line of the record. Absent fields are left out: SMCCC calls have registers, legacy ones a buffer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CallRecord(String convention, String call, int service, int command, String functionId,
                      String arginfo, List<String> registers, String extArgs, String legacyCommand,
                      List<BufferRecord> buffers) {}

    /** A shared buffer an argument points at, as it was when the call was made. */
    record BufferRecord(int arg, String address, long length, String hex) {}

    private final Writer out;
    private final SharedRegion shared;
    private final Arena arena = Arena.ofShared();
    private final Map<PhysAddr, MemorySegment> buffers = new HashMap<>();

    /**
     * @param out        receives one JSON object per line; flushed after each, never closed here
     * @param sharedBase where the shared buffers are declared to be
     */
    public RecordingSecureMonitor(Writer out, PhysAddr sharedBase) {
        this.out = Objects.requireNonNull(out, "out");
        this.shared = new SharedRegion(sharedBase);
    }

    @Override
    public ScmResult call(ScmConvention convention, PasCall call) throws IOException, Failure {
        ScmResult done = invoke(call.on(convention));
        boolean question = call instanceof PasCall.CallAvailable || call instanceof PasCall.Supported;
        return question ? ScmResult.success(1) : done;
    }

    /** Records any call, PAS or not, in its wire form; every call succeeds. */
    ScmResult invoke(ScmCall call) throws IOException, Failure {
        CallRecord record;
        try (Arena local = Arena.ofConfined()) {
            record = switch (WireCall.encode(call, this::allocateMetadata, local)) {
                case WireCall.Smc smc -> new CallRecord(call.convention().id(), callName(call), call.service(),
                        call.command(), hex(smc.registers()[0]), hex(smc.registers()[1]),
                        Arrays.stream(smc.registers()).mapToObj(RecordingSecureMonitor::hex).toList(),
                        smc.extArgs() == null ? null : HEX.formatHex(bytes(smc.extArgs().memory())),
                        null, sharedBuffers(call));
                case WireCall.Legacy legacy -> new CallRecord(call.convention().id(), callName(call),
                        call.service(), call.command(), null, null, null, null,
                        HEX.formatHex(bytes(legacy.command())), sharedBuffers(call));
            };
        }
        out.write(MAPPER.writeValueAsString(record));
        out.write('\n');
        out.flush();
        return ScmResult.success(0);
    }

    private static String callName(ScmCall call) {
        return call.pasCommand().map(PasCommand::callName).orElse(null);
    }

    private List<BufferRecord> sharedBuffers(ScmCall call) {
        List<BufferRecord> found = new ArrayList<>();
        for (int i = 0; i < call.args().size(); i++) {
            if (call.args().get(i) instanceof ScmArg.Buffer b && buffers.containsKey(b.addr())) {
                MemorySegment memory = buffers.get(b.addr());
                MemorySegment shown = memory.asSlice(0, Math.min(b.length(), memory.byteSize()));
                found.add(new BufferRecord(i, hex(b.addr().value()), b.length(), HEX.formatHex(bytes(shown))));
            }
        }
        return found.isEmpty() ? null : found;
    }

    private static byte[] bytes(MemorySegment segment) {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** Every call "succeeds" here, but nothing is ever authenticated. */
    @Override
    public boolean authenticates() {
        return false;
    }

    @Override
    public MetadataBuffer allocateMetadata(long size) {
        long length = SharedRegion.pages(size);
        PhysAddr addr = shared.take(length);
        MemorySegment memory = arena.allocate(length, Page.SIZE);
        buffers.put(addr, memory);
        return new MetadataBuffer(addr, memory.asSlice(0, size));
    }

    @Override
    public void close() throws IOException {
        out.flush();
        arena.close();
    }
}
