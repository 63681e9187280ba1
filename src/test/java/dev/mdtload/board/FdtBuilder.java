package dev.mdtload.board;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes flattened device trees for tests, straight from the devicetree specification (chapter 5),
 * independently of the parser: tokens appended one by one, so a test can also write what no
 * compiler would (a token out of place, a length that lies).
 */
final class FdtBuilder {
    static final int MAGIC = 0xd00dfeed;
    static final int HEADER_SIZE = 40;
    private static final int RSVMAP_SIZE = 16;

    private final ByteArrayOutputStream struct = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new LinkedHashMap<>();

    FdtBuilder beginNode(String name) {
        word(1);
        byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
        struct.writeBytes(bytes);
        struct.write(0);
        pad();
        return this;
    }

    FdtBuilder endNode() {
        word(2);
        return this;
    }

    FdtBuilder prop(String name, byte[] value) {
        return rawProp(value.length, nameOffset(name), value);
    }

    /** A property whose header says {@code len} and {@code nameoff}, followed by {@code value}. */
    FdtBuilder rawProp(int len, int nameoff, byte[] value) {
        word(3);
        word(len);
        word(nameoff);
        struct.writeBytes(value);
        pad();
        return this;
    }

    FdtBuilder prop(String name) {
        return prop(name, new byte[0]);
    }

    /** A string list property, each string NUL-terminated. */
    FdtBuilder strings(String name, String... values) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        for (String s : values) {
            v.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            v.write(0);
        }
        return prop(name, v.toByteArray());
    }

    /** A property of 32-bit big-endian cells. */
    FdtBuilder cells(String name, long... cells) {
        ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
        for (long c : cells) {
            b.putInt((int) c);
        }
        return prop(name, b.array());
    }

    FdtBuilder nop() {
        word(4);
        return this;
    }

    FdtBuilder end() {
        word(9);
        return this;
    }

    FdtBuilder word(int value) {
        struct.writeBytes(ByteBuffer.allocate(4).putInt(value).array());
        return this;
    }

    int nameOffset(String name) {
        return stringOffsets.computeIfAbsent(name, n -> {
            int offset = strings.size();
            strings.writeBytes(n.getBytes(StandardCharsets.ISO_8859_1));
            strings.write(0);
            return offset;
        });
    }

    /** Header, empty memory reservation map, structure block, strings block; version 17. */
    byte[] build() {
        byte[] s = struct.toByteArray();
        byte[] str = strings.toByteArray();
        int offStruct = HEADER_SIZE + RSVMAP_SIZE;
        int offStrings = offStruct + s.length;
        int total = offStrings + str.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(MAGIC).putInt(total).putInt(offStruct).putInt(offStrings).putInt(HEADER_SIZE)
                .putInt(17).putInt(16).putInt(0).putInt(str.length).putInt(s.length);
        b.put(new byte[RSVMAP_SIZE]).put(s).put(str);
        return b.array();
    }

    private void pad() {
        while (struct.size() % 4 != 0) {
            struct.write(0);
        }
    }

    /** Header field offsets, for tests that corrupt one. */
    enum Field {
        MAGIC(0), TOTALSIZE(4), OFF_DT_STRUCT(8), OFF_DT_STRINGS(12), OFF_MEM_RSVMAP(16), VERSION(20),
        LAST_COMP_VERSION(24), BOOT_CPUID_PHYS(28), SIZE_DT_STRINGS(32), SIZE_DT_STRUCT(36);

        final int offset;

        Field(int offset) {
            this.offset = offset;
        }

        static byte[] set(byte[] blob, Field field, int value) {
            byte[] copy = blob.clone();
            ByteBuffer.wrap(copy).putInt(field.offset, value);
            return copy;
        }

        static int get(byte[] blob, Field field) {
            return ByteBuffer.wrap(blob).getInt(field.offset);
        }
    }
}
