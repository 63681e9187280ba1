package dev.mdtload.scm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A remote processor's resource table as the secure world answers it (include/linux/rsc_table.h
 * {@code struct resource_table}: u32 ver, u32 num, u32 reserved[2], then num u32 offsets of the
 * entries), or no table at all (0 bytes: the processor needs no resources mapped for it).
 *
 * @param bytes   its size
 * @param entries how many resources it lists
 */
public record ResourceTable(long bytes, int entries) {
    /** ver, num and reserved[2]. */
    static final int HEADER_BYTES = 16;
    /** Kernel qcom_q6v5_pas.c MAX_RSCTABLE_SIZE (SZ_16K): the room its answer gets. */
    static final int MAX_BYTES = 16 * 1024;
    /** The only version remoteproc reads (remoteproc_elf_loader.c: "unsupported fw ver"). */
    static final int VERSION = 1;

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Reads and checks the answer of {@code command}: the version, and every entry's offset inside it.
     *
     * @throws ScmException the secure world answered a table remoteproc would not read
     */
    static ResourceTable parse(PasCommand command, long pasId, MemorySegment table) throws ScmException {
        long size = table.byteSize();
        if (size == 0) {
            return new ResourceTable(0, 0);
        }
        if (size < HEADER_BYTES) {
            throw malformed(command, pasId, size + " bytes, shorter than its header");
        }
        int version = table.get(LE32, 0);
        long num = Integer.toUnsignedLong(table.get(LE32, 4));
        if (version != VERSION) {
            throw malformed(command, pasId, "version " + version + ", not " + VERSION);
        }
        if (num > (size - HEADER_BYTES) / Integer.BYTES) {
            throw malformed(command, pasId, num + " entries do not fit " + size + " bytes");
        }
        for (int i = 0; i < num; i++) {
            long offset = Integer.toUnsignedLong(table.get(LE32, HEADER_BYTES + (long) i * Integer.BYTES));
            if (offset < HEADER_BYTES + num * Integer.BYTES || offset > size - Integer.BYTES) {
                throw malformed(command, pasId, "entry " + i + " at offset " + offset + " is outside its " + size + " bytes");
            }
        }
        return new ResourceTable(size, (int) num);
    }

    private static ScmException malformed(PasCommand command, long pasId, String why) {
        return new ScmException(command, pasId, ScmResult.SUCCESS, "EINVAL", ": malformed resource table: " + why);
    }

    @Override
    public String toString() {
        return bytes == 0 ? "no resource table" : String.format("resource table of %d bytes, %d entries", bytes, entries);
    }
}
