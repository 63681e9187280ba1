package dev.mdtload.scm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The secure world's answer to get_rsc_table, read as remoteproc reads struct resource_table. */
class ResourceTableTest {
    /** ver, num, reserved[2], then the offsets, then {@code pad} zero bytes. */
    private static MemorySegment table(int version, int num, int pad, int... offsets) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * offsets.length + pad).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(version).putInt(num).putInt(0).putInt(0);
        for (int offset : offsets) {
            b.putInt(offset);
        }
        return MemorySegment.ofArray(b.array());
    }

    private static ResourceTable parse(MemorySegment table) throws ScmException {
        return ResourceTable.parse(PasCommand.GET_RSC_TABLE, 6, table);
    }

    @Test
    void parse_readsTheEntriesOfAVersion1Table_andNoBytesAsNoTable() throws ScmException {
        // two entries right after the offsets, eight bytes each
        assertEquals(new ResourceTable(40, 2), parse(table(1, 2, 16, 24, 32)));
        assertEquals(new ResourceTable(16, 0), parse(table(1, 0, 0)));
        assertEquals(new ResourceTable(0, 0), parse(MemorySegment.ofArray(new byte[0])));
        assertEquals("no resource table", new ResourceTable(0, 0).toString());
    }

    @Test
    void parse_refusesWhatRemoteprocWouldNotRead() {
        String[] why = {
                "version 2, not 1",
                "3 entries do not fit 24 bytes",
                "entry 0 at offset 8 is outside its 28 bytes",
                "entry 0 at offset 26 is outside its 28 bytes",
                "8 bytes, shorter than its header",
        };
        MemorySegment[] tables = {
                table(2, 0, 0),
                table(1, 3, 0, 16, 20),
                table(1, 1, 8, 8),
                table(1, 1, 8, 26),
                MemorySegment.ofArray(new byte[8]),
        };
        for (int i = 0; i < tables.length; i++) {
            MemorySegment t = tables[i];
            ScmException e = assertThrows(ScmException.class, () -> parse(t));
            assertTrue(e.getMessage().endsWith(": malformed resource table: " + why[i]), e.getMessage());
            assertEquals("EINVAL", e.errnoName());
        }
    }
}
