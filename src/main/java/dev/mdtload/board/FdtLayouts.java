package dev.mdtload.board;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The flattened-device-tree structures, declared once with libfdt's field names ({@code fdt.h}).
 * Every field is a big-endian 32-bit word; a blob read from a file has no alignment promise.
 */
final class FdtLayouts {
    private FdtLayouts() {}

    static final ValueLayout.OfInt FDT32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /*
     * struct fdt_header {
     *     fdt32_t magic; fdt32_t totalsize; fdt32_t off_dt_struct; fdt32_t off_dt_strings;
     *     fdt32_t off_mem_rsvmap; fdt32_t version; fdt32_t last_comp_version;
     *     fdt32_t boot_cpuid_phys;   // version 2
     *     fdt32_t size_dt_strings;   // version 3
     *     fdt32_t size_dt_struct;    // version 17
     * };
     */
    static final StructLayout FDT_HEADER = MemoryLayout.structLayout(
            FDT32.withName("magic"),
            FDT32.withName("totalsize"),
            FDT32.withName("off_dt_struct"),
            FDT32.withName("off_dt_strings"),
            FDT32.withName("off_mem_rsvmap"),
            FDT32.withName("version"),
            FDT32.withName("last_comp_version"),
            FDT32.withName("boot_cpuid_phys"),
            FDT32.withName("size_dt_strings"),
            FDT32.withName("size_dt_struct")).withName("fdt_header");

    /** A version-16 header ends before size_dt_struct. */
    static final long FDT_V16_HEADER_SIZE = FDT_HEADER.byteOffset(groupElement("size_dt_struct"));

    /* struct fdt_node_header { fdt32_t tag; char name[0]; }; */
    static final StructLayout FDT_NODE_HEADER = MemoryLayout.structLayout(
            FDT32.withName("tag")).withName("fdt_node_header");

    /* struct fdt_property { fdt32_t tag; fdt32_t len; fdt32_t nameoff; char data[0]; }; */
    static final StructLayout FDT_PROPERTY = MemoryLayout.structLayout(
            FDT32.withName("tag"),
            FDT32.withName("len"),
            FDT32.withName("nameoff")).withName("fdt_property");

    static final VarHandle MAGIC = handle(FDT_HEADER, "magic");
    static final VarHandle TOTALSIZE = handle(FDT_HEADER, "totalsize");
    static final VarHandle OFF_DT_STRUCT = handle(FDT_HEADER, "off_dt_struct");
    static final VarHandle OFF_DT_STRINGS = handle(FDT_HEADER, "off_dt_strings");
    static final VarHandle VERSION = handle(FDT_HEADER, "version");
    static final VarHandle LAST_COMP_VERSION = handle(FDT_HEADER, "last_comp_version");
    static final VarHandle SIZE_DT_STRINGS = handle(FDT_HEADER, "size_dt_strings");
    static final VarHandle SIZE_DT_STRUCT = handle(FDT_HEADER, "size_dt_struct");
    static final VarHandle TAG = handle(FDT_NODE_HEADER, "tag");
    static final VarHandle PROP_LEN = handle(FDT_PROPERTY, "len");
    static final VarHandle PROP_NAMEOFF = handle(FDT_PROPERTY, "nameoff");

    private static VarHandle handle(StructLayout struct, String field) {
        return struct.varHandle(groupElement(field));
    }

    /** The unsigned value of a 32-bit field of the struct at {@code base}; Java's int is signed. */
    static long u32(VarHandle field, MemorySegment blob, long base) {
        return Integer.toUnsignedLong((int) field.get(blob, base));
    }
}
