package dev.mdtload.scm;

import dev.mdtload.failure.UsageFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.scm.ScmArg.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static dev.mdtload.scm.KernelScm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingSecureMonitorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PhysAddr SHARED = PhysAddr.of(0x8000_0000L);

    @TempDir
    Path dir;

    private static List<JsonNode> lines(StringWriter out) {
        return out.toString().lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    private static List<String> registers(long... values) {
        List<String> list = new ArrayList<>();
        for (long v : values) {
            list.add(hex(v));
        }
        return list;
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    private static MetadataBuffer metadata(SecureMonitor monitor, byte[] blob) throws Exception {
        MetadataBuffer buffer = monitor.allocateMetadata(blob.length);
        MemorySegment.copy(blob, 0, buffer.memory(), ValueLayout.JAVA_BYTE, 0, blob.length);
        return buffer;
    }

    @Test
    void record_writesEveryCallOfABootAsOneLineInItsSmcccWireForm() throws Exception {
        byte[] blob = RealFirmware.copy("ath11k/WCN6750/hw1.0/wpss.mdt", dir).metadata();
        StringWriter out = new StringWriter();
        try (RecordingSecureMonitor recorder = new RecordingSecureMonitor(out, SHARED)) {
            PasClient pas = new PasClient(recorder, ScmConvention.SMC64);
            assertTrue(pas.isSupported(6), "a dry run assumes the board has the call");
            pas.initImage(6, metadata(recorder, blob));
            pas.memSetup(6, PhysAddr.of(0x9ae0_0000L), 0x190_0000);
            pas.authAndReset(6);
        }
        List<JsonNode> lines = lines(out);
        assertEquals(List.of("is_call_avail", "is_supported", "init_image", "mem_setup", "auth_and_reset"),
                lines.stream().map(l -> l.get("call").asText()).toList());
        long availId = SCM_SMC_FNID(QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_IS_SUPPORTED) | ARM_SMCCC_OWNER_SIP << ARM_SMCCC_OWNER_SHIFT;
        long[][] expected = {
                {stdSipCall(ARM_SMCCC_SMC_64, QCOM_SCM_SVC_INFO, QCOM_SCM_INFO_IS_CALL_AVAIL), QCOM_SCM_ARGS(1), availId, 0, 0, 0, 0, 0},
                {stdSipCall(ARM_SMCCC_SMC_64, QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_IS_SUPPORTED), QCOM_SCM_ARGS(1), 6, 0, 0, 0, 0, 0},
                {0x42000201L, 0x82, 6, 0x8000_0000L, 0, 0, 0, 0},
                {stdSipCall(ARM_SMCCC_SMC_64, QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_MEM_SETUP), QCOM_SCM_ARGS(3), 6, 0x9ae0_0000L, 0x190_0000, 0, 0, 0},
                {stdSipCall(ARM_SMCCC_SMC_64, QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_AUTH_AND_RESET), QCOM_SCM_ARGS(1), 6, 0, 0, 0, 0, 0},
        };
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            assertEquals("smc64", line.get("convention").asText());
            assertEquals(hex(expected[i][0]), line.get("function_id").asText());
            assertEquals(hex(expected[i][1]), line.get("arginfo").asText());
            assertEquals(registers(expected[i]), texts(line.get("registers")));
            assertFalse(line.has("legacy_command"));
        }
        JsonNode buffer = lines.get(2).get("buffers").get(0);
        assertEquals(1, buffer.get("arg").asInt());
        assertEquals("0x80000000", buffer.get("address").asText());
        assertEquals(blob.length, buffer.get("length").asLong());
        assertEquals(HexFormat.of().formatHex(blob), buffer.get("hex").asText(), "the metadata, for a replay");
    }

    @Test
    void record_writesTheLegacyCommandBufferInsteadOfRegisters() throws Exception {
        StringWriter out = new StringWriter();
        try (RecordingSecureMonitor recorder = new RecordingSecureMonitor(out, SHARED)) {
            new PasClient(recorder, ScmConvention.LEGACY).initImage(6, metadata(recorder, new byte[100]));
        }
        JsonNode line = lines(out).getFirst();
        assertEquals("legacy", line.get("convention").asText());
        assertFalse(line.has("function_id") || line.has("registers") || line.has("arginfo"));
        ByteBuffer command = ByteBuffer.wrap(HexFormat.of().parseHex(line.get("legacy_command").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(48, command.capacity());
        assertEquals(48, command.getInt(0));
        assertEquals(16, command.getInt(4));
        assertEquals(24, command.getInt(8));
        assertEquals(SCM_LEGACY_FNID(QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_INIT_IMAGE), command.getInt(12));
        assertEquals(6, command.getInt(16));
        assertEquals(0x8000_0000, command.getInt(20));
        assertEquals(100, line.get("buffers").get(0).get("length").asInt());
    }

    @Test
    void record_writesNothingForACallRefusedForItsWidth() throws Exception {
        StringWriter out = new StringWriter();
        try (RecordingSecureMonitor recorder = new RecordingSecureMonitor(out, PhysAddr.of(0x1_0000_0000L))) {
            MetadataBuffer high = metadata(recorder, new byte[64]);
            UsageFailure e = assertThrows(UsageFailure.class,
                    () -> new PasClient(recorder, ScmConvention.SMC32).initImage(6, high));
            assertTrue(e.getMessage().contains("32-bit"), e.getMessage());
        }
        assertEquals("", out.toString());
    }

    @Test
    void record_writesTheArgumentBufferOfACallWithMoreThanFourArguments() throws Exception {
        StringWriter out = new StringWriter();
        List<ScmArg> args = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            args.add(new Value(0x10 + i));
        }
        try (RecordingSecureMonitor recorder = new RecordingSecureMonitor(out, SHARED)) {
            assertEquals(ScmResult.success(0), recorder.invoke(new ScmCall(ScmConvention.SMC64, 0x0c, 0x16, args)));
        }
        JsonNode line = lines(out).getFirst();
        assertFalse(line.has("call"), "no PAS name for MP_ASSIGN");
        assertEquals(registers(stdSipCall(ARM_SMCCC_SMC_64, 0x0c, 0x16), QCOM_SCM_ARGS(5), 0x10, 0x11, 0x12,
                SHARED.value(), 0, 0), texts(line.get("registers")));
        ByteBuffer ext = ByteBuffer.wrap(HexFormat.of().parseHex(line.get("ext_args").asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x13, ext.getLong(0));
        assertEquals(0x14, ext.getLong(8));
        assertEquals(0, ext.getLong(16));
    }
}
