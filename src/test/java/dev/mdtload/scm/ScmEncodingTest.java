package dev.mdtload.scm;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.DmaAddr;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.scm.ScmArg.Access;
import dev.mdtload.scm.ScmArg.Buffer;
import dev.mdtload.scm.ScmArg.Region;
import dev.mdtload.scm.ScmArg.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static dev.mdtload.scm.KernelScm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScmEncodingTest {
    private static final WireCall.SharedMemory NO_SHARED_MEMORY = size -> {
        throw new AssertionError("no argument buffer expected");
    };

    private static ScmCall initImage(ScmConvention convention, long pasId, long metadata) {
        return ScmCall.of(convention, PasCommand.INIT_IMAGE, new Value(pasId),
                new Buffer(PhysAddr.of(metadata), 0x2000, Access.RW));
    }

    private static WireCall encode(ScmCall call, Arena arena) throws Exception {
        return WireCall.encode(call, NO_SHARED_MEMORY, arena);
    }

    @Test
    void functionId_isTheKernelsForPasInitImage() {
        // kernel-facts §5 gives 0x42000201 for SMC64; the macros give both
        assertEquals(0x42000201L, stdSipCall(ARM_SMCCC_SMC_64, QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_INIT_IMAGE));
        assertEquals(0x42000201L, Smccc.functionId(ScmConvention.SMC64, 2, 1));
        assertEquals(0x02000201L, stdSipCall(ARM_SMCCC_SMC_32, QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_INIT_IMAGE));
        assertEquals(0x02000201L, Smccc.functionId(ScmConvention.SMC32, 2, 1));
    }

    @ParameterizedTest
    @EnumSource(value = ScmConvention.class, names = {"SMC64", "SMC32"})
    void functionId_matchesTheKernelMacroForEveryPasCommand(ScmConvention convention) {
        long conv = convention == ScmConvention.SMC64 ? ARM_SMCCC_SMC_64 : ARM_SMCCC_SMC_32;
        int[][] kernel = {
                {QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_INIT_IMAGE}, {QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_MEM_SETUP},
                {QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_AUTH_AND_RESET}, {QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_SHUTDOWN},
                {QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_IS_SUPPORTED}, {QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_MSS_RESET},
                {QCOM_SCM_SVC_INFO, QCOM_SCM_INFO_IS_CALL_AVAIL}, {QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_GET_RSCTABLE},
                {QCOM_SCM_SVC_MP, QCOM_SCM_MP_SHM_BRIDGE_DELETE}, {QCOM_SCM_SVC_MP, QCOM_SCM_MP_SHM_BRIDGE_CREATE},
        };
        PasCommand[] ours = {PasCommand.INIT_IMAGE, PasCommand.MEM_SETUP, PasCommand.AUTH_AND_RESET,
                PasCommand.SHUTDOWN, PasCommand.IS_SUPPORTED, PasCommand.MSS_RESET, PasCommand.IS_CALL_AVAIL,
                PasCommand.GET_RSC_TABLE, PasCommand.SHM_BRIDGE_DELETE, PasCommand.SHM_BRIDGE_CREATE};
        assertEquals(PasCommand.values().length, ours.length, "every command is checked against the kernel's");
        for (int i = 0; i < ours.length; i++) {
            assertEquals(kernel[i][0], ours[i].service(), ours[i].name());
            assertEquals(kernel[i][1], ours[i].command(), ours[i].name());
            assertEquals(stdSipCall(conv, kernel[i][0], kernel[i][1]),
                    Smccc.functionId(convention, ours[i].service(), ours[i].command()), ours[i].name());
        }
    }

    @Test
    void argInfo_isTheKernelsForEveryPasCall() {
        PhysAddr addr = PhysAddr.of(0x8000_0000L);
        assertEquals(0x82L, QCOM_SCM_ARGS(2, QCOM_SCM_VAL, QCOM_SCM_RW));
        assertEquals(QCOM_SCM_ARGS(2, QCOM_SCM_VAL, QCOM_SCM_RW),
                Smccc.argInfo(List.of(new Value(6), new Buffer(addr, 0x1000, Access.RW))));
        // mem_setup passes its physical region by value (QCOM_SCM_ARGS(3))
        assertEquals(QCOM_SCM_ARGS(3), Smccc.argInfo(List.of(new Value(6), new Region(addr, 0x1000), new Value(0x1000))));
        assertEquals(QCOM_SCM_ARGS(1), Smccc.argInfo(List.of(new Value(6))));
        assertEquals(QCOM_SCM_ARGS(0), Smccc.argInfo(List.of()));
        MetadataBuffer buffer = new MetadataBuffer(addr, MemorySegment.ofArray(new byte[16]));
        // __qcom_scm_pas_get_rsc_table() and qcom_scm_shm_bridge_create()
        assertEquals(QCOM_SCM_ARGS(5, QCOM_SCM_VAL, QCOM_SCM_RO, QCOM_SCM_VAL, QCOM_SCM_RW, QCOM_SCM_VAL),
                Smccc.argInfo(new PasCall.GetRscTable(6, buffer, buffer).args(ScmConvention.SMC64)));
        assertEquals(QCOM_SCM_ARGS(4, QCOM_SCM_VAL, QCOM_SCM_VAL, QCOM_SCM_VAL, QCOM_SCM_VAL),
                Smccc.argInfo(new PasCall.ShmBridgeCreate(6, addr, 0x1000).args(ScmConvention.SMC64)));
        assertEquals(QCOM_SCM_ARGS(1), Smccc.argInfo(new PasCall.ShmBridgeDelete(6, 1).args(ScmConvention.SMC64)));
    }

    @Test
    void shmBridgeCreate_refusesABridgeAbove4GiBOn32Bit_ratherThanCuttingTheAddress() {
        PasCall bridge = new PasCall.ShmBridgeCreate(6, PhysAddr.of(0x1_0000_0000L), 0x1000);
        try (Arena arena = Arena.ofConfined()) {
            UsageFailure e = assertThrows(UsageFailure.class, () -> encode(bridge.on(ScmConvention.SMC32), arena));
            assertTrue(e.getMessage().startsWith("shm_bridge_create argument 0 for the smc32 convention at 0x100000000"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> new PasCall.ShmBridgeCreate(6, PhysAddr.of(0x8000_0800L), 0x1000).args(ScmConvention.SMC64),
                    "the permission bits would fall into an unaligned address");
        }
    }

    @Test
    void argInfo_packsTenArgumentsOfEveryType() {
        List<ScmArg> args = new ArrayList<>();
        int[] types = new int[10];
        for (int i = 0; i < 10; i++) {
            Access access = i % 3 == 0 ? Access.RO : Access.RW;
            args.add(i % 2 == 0 ? new Value(i) : new Buffer(PhysAddr.of(0x1000L * i), 16, access));
            types[i] = i % 2 == 0 ? QCOM_SCM_VAL : (access == Access.RO ? QCOM_SCM_RO : QCOM_SCM_RW);
        }
        assertEquals(QCOM_SCM_ARGS(10, types), Smccc.argInfo(args));
    }

    @Test
    void registers_carryFunctionIdArginfoAndArgumentsInA0ToA5() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            WireCall.Smc smc = assertInstanceOf(WireCall.Smc.class,
                    encode(initImage(ScmConvention.SMC64, 6, 0x1_2345_6000L), arena));
            long[] expected = {stdSipCall(ARM_SMCCC_SMC_64, 2, 1), QCOM_SCM_ARGS(2, QCOM_SCM_VAL, QCOM_SCM_RW),
                    6, 0x1_2345_6000L, 0, 0, 0, 0};
            assertArrayEquals(expected, smc.registers());
            assertNull(smc.extArgs());
        }
    }

    /** More than four arguments: a2..a4 carry 0..2, arguments 3..9 go to a buffer whose address is in a5. */
    @ParameterizedTest
    @EnumSource(value = ScmConvention.class, names = {"SMC64", "SMC32"})
    void registers_moveArgumentsThreeToNineIntoABufferNamedByA5(ScmConvention convention) throws Exception {
        List<ScmArg> args = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            args.add(new Value(0x100 + i));
        }
        ScmCall call = new ScmCall(convention, 0x0c, 0x16, args);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shared = arena.allocate(Smccc.EXT_ARGS_BYTES, 4096);
            shared.fill((byte) 0x5a);
            WireCall.Smc smc = assertInstanceOf(WireCall.Smc.class,
                    WireCall.encode(call, size -> new MetadataBuffer(PhysAddr.of(0x7000_0000L), shared.asSlice(0, size)), arena));
            long conv = convention == ScmConvention.SMC64 ? ARM_SMCCC_SMC_64 : ARM_SMCCC_SMC_32;
            assertArrayEquals(new long[]{stdSipCall(conv, 0x0c, 0x16), QCOM_SCM_ARGS(6), 0x100, 0x101, 0x102,
                    0x7000_0000L, 0, 0}, smc.registers());
            // kernel: seven little-endian entries (u64 for SMC64, u32 for SMC32) in a 7 x u64 buffer
            int entry = convention == ScmConvention.SMC64 ? 8 : 4;
            ByteBuffer expected = ByteBuffer.allocate(7 * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 3; i < 10; i++) {
                long value = i < 6 ? 0x100 + i : 0;
                if (entry == 8) {
                    expected.putLong(value);
                } else {
                    expected.putInt((int) value);
                }
            }
            assertArrayEquals(expected.array(), smc.extArgs().memory().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void registers_refuseAnArgumentBufferAbove4GiBOnSmc32() {
        List<ScmArg> args = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            args.add(new Value(i));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment shared = arena.allocate(Smccc.EXT_ARGS_BYTES);
            UsageFailure e = assertThrows(UsageFailure.class, () -> WireCall.encode(
                    new ScmCall(ScmConvention.SMC32, 0x0c, 0x16, args),
                    size -> new MetadataBuffer(PhysAddr.of(0x1_0000_0000L), shared), arena));
            assertTrue(e.getMessage().contains("32-bit"), e.getMessage());
        }
    }

    @Test
    void legacyLayout_isTheKernelsStructs() {
        assertEquals(16, LegacyCommand.COMMAND.byteSize());
        assertEquals(12, LegacyCommand.RESPONSE.byteSize());
        // kernel alloc_len = sizeof(*cmd) + arglen * 4 + sizeof(*rsp) + MAX_QCOM_SCM_RETS * 4
        assertEquals(16 + 2 * 4 + 12 + 3 * 4, LegacyCommand.layout(2).byteSize());
        assertEquals(16 + 12 + 3 * 4, LegacyCommand.layout(0).byteSize());
    }

    @Test
    void legacyCommand_isHeaderThen32BitArgumentsThenAnEmptyResponse() throws Exception {
        ByteBuffer expected = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        expected.putInt(48);                  // len
        expected.putInt(16);                  // buf_offset: right after the header
        expected.putInt(16 + 2 * 4);          // resp_hdr_offset: after two arguments
        expected.putInt((int) SCM_LEGACY_FNID(QCOM_SCM_SVC_PIL, QCOM_SCM_PIL_PAS_INIT_IMAGE));
        expected.putInt(6);
        expected.putInt(0x8000_0000);
        // response header and results stay zero for the secure world to fill
        try (Arena arena = Arena.ofConfined()) {
            WireCall.Legacy legacy = assertInstanceOf(WireCall.Legacy.class,
                    encode(initImage(ScmConvention.LEGACY, 6, 0x8000_0000L), arena));
            assertArrayEquals(expected.array(), legacy.command().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void legacyResponse_resultsAreReadBehindTheResponseHeader() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = LegacyCommand.encode(ScmCall.of(ScmConvention.LEGACY, PasCommand.IS_SUPPORTED,
                    new Value(6)), arena);
            ByteBuffer b = buffer.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            int response = b.getInt(8);
            assertEquals(16 + 4, response);
            b.putInt(response, 24).putInt(response + 4, 12).putInt(response + 12, 1).putInt(response + 16, 7)
                    .putInt(response + 20, 0xffff_fffe);
            assertThrows(IllegalStateException.class, () -> LegacyCommand.decode(0, buffer),
                    "is_complete is still 0");
            b.putInt(response + 8, 1);
            assertEquals(new ScmResult(0, 1, 7, 0xffff_fffeL), LegacyCommand.decode(0, buffer));
            assertEquals(new ScmResult(-2, 0, 0, 0), LegacyCommand.decode(-2, buffer));
        }
    }

    @ParameterizedTest
    @EnumSource(value = ScmConvention.class, names = {"SMC32", "LEGACY"})
    void encode_refusesBuffersAndRegionsThatDoNotFit32Bits(ScmConvention convention) {
        List<ScmArg> tooWide = List.of(
                new Buffer(PhysAddr.of(0x1_0000_0000L), 0x1000, Access.RW),
                new Buffer(PhysAddr.of(0xffff_f000L), 0x2000, Access.RO),   // starts below, ends above
                new Region(PhysAddr.of(0xfff0_0000L), 0x20_0000));
        try (Arena arena = Arena.ofConfined()) {
            for (ScmArg arg : tooWide) {
                ScmCall call = new ScmCall(convention, 2, 1, List.of(new Value(6), arg));
                UsageFailure e = assertThrows(UsageFailure.class, () -> encode(call, arena), arg.toString());
                assertTrue(e.getMessage().contains("32-bit"), e.getMessage());
                assertTrue(e.getMessage().contains("init_image argument 1"), e.getMessage());
            }
        }
    }

    @Test
    void encode_acceptsTheLastPageBelow4GiBOn32BitAndAnythingOnSmc64() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            Buffer lastPage = new Buffer(PhysAddr.of(0xffff_f000L), 0x1000, Access.RW);
            encode(new ScmCall(ScmConvention.LEGACY, 2, 1, List.of(new Value(6), lastPage)), arena);
            encode(initImage(ScmConvention.SMC64, 6, 0x7_0000_0000L), arena);
        }
    }

    @Test
    void encode_refusesAValueWiderThanA32BitConvention() {
        try (Arena arena = Arena.ofConfined()) {
            ScmCall call = ScmCall.of(ScmConvention.SMC32, PasCommand.SHUTDOWN, new Value(0x1_0000_0006L));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encode(call, arena));
            assertTrue(e.getMessage().contains("32-bit"), e.getMessage());
        }
    }

    @Test
    void scmCall_refusesMoreThanTenArgumentsAndIdsWiderThan8Bits() {
        List<ScmArg> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(new Value(i));
        }
        assertThrows(IllegalArgumentException.class, () -> new ScmCall(ScmConvention.SMC64, 2, 1, eleven));
        assertThrows(IllegalArgumentException.class, () -> new ScmCall(ScmConvention.SMC64, 0x100, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ScmCall(ScmConvention.SMC64, 2, -1, List.of()));
    }

    /** The 2017 venus bug passed a dma_addr_t as a physical address: no argument kind can hold one. */
    @Test
    void scmArg_cannotCarryADmaAddress() {
        List<Class<?>> kinds = new ArrayList<>(List.of(ScmArg.class.getPermittedSubclasses()));
        List<Class<?>> records = new ArrayList<>();
        while (!kinds.isEmpty()) {
            Class<?> kind = kinds.removeFirst();
            if (kind.isRecord()) {
                records.add(kind);
            } else {
                kinds.addAll(List.of(kind.getPermittedSubclasses()));
            }
        }
        assertEquals(List.of(Value.class, Buffer.class, Region.class, ScmArg.Bridged.class), records);
        for (Class<?> kind : records) {
            for (RecordComponent c : kind.getRecordComponents()) {
                assertTrue(c.getType() != DmaAddr.class && c.getType() != Object.class, kind + "." + c.getName());
            }
        }
        assertEquals(PhysAddr.class, Buffer.class.getRecordComponents()[0].getType());
        assertEquals(PhysAddr.class, Region.class.getRecordComponents()[0].getType());
        assertEquals(PhysAddr.class, ScmArg.Bridged.class.getRecordComponents()[0].getType());
    }

    @Test
    void conventions_stateTheWidthTheyCarry() {
        assertEquals(64, ScmConvention.SMC64.width().bits());
        assertEquals(32, ScmConvention.SMC32.width().bits());
        assertEquals(32, ScmConvention.LEGACY.width().bits());
    }
}
