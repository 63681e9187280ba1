package dev.mdtload.mbn;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MBN hash segment header of each version, declared once: {@link HashSegment} reads through it,
 * {@link HashSegmentWriter} writes through it, and native-stubs/mbn_header.h is rendered from it
 * (HeaderLayoutCHeaderTest), so the three cannot disagree on an offset. Field names are those of
 * ../shared/docs/mbn-hash-segment.md; every field is a little-endian u32 and none is aligned in
 * the file, so the layouts have no padding.
 */
enum HeaderLayout {
    /* struct { image_id, version, image_src, image_dest_ptr, image_size, hash_table_size,
     *          signature_ptr, signature_size, cert_chain_ptr, cert_chain_size; }  40 bytes */
    V3(3, Field.IMAGE_ID, Field.VERSION, Field.IMAGE_SRC, Field.IMAGE_DEST_PTR, Field.IMAGE_SIZE,
            Field.HASH_TABLE_SIZE, Field.SIGNATURE_PTR, Field.SIGNATURE_SIZE, Field.CERT_CHAIN_PTR,
            Field.CERT_CHAIN_SIZE),
    /* struct { image_id, version, qti_signature_size, qti_cert_chain_size, image_size, hash_table_size,
     *          signature_ptr, signature_size, cert_chain_ptr, cert_chain_size; }  40 bytes */
    V5(5, Field.IMAGE_ID, Field.VERSION, Field.QTI_SIGNATURE_SIZE, Field.QTI_CERT_CHAIN_SIZE, Field.IMAGE_SIZE,
            Field.HASH_TABLE_SIZE, Field.SIGNATURE_PTR, Field.SIGNATURE_SIZE, Field.CERT_CHAIN_PTR,
            Field.CERT_CHAIN_SIZE),
    /* v5's struct, then { qti_metadata_size, oem_metadata_size; }  48 bytes */
    V6(6, Field.IMAGE_ID, Field.VERSION, Field.QTI_SIGNATURE_SIZE, Field.QTI_CERT_CHAIN_SIZE, Field.IMAGE_SIZE,
            Field.HASH_TABLE_SIZE, Field.SIGNATURE_PTR, Field.SIGNATURE_SIZE, Field.CERT_CHAIN_PTR,
            Field.CERT_CHAIN_SIZE, Field.QTI_METADATA_SIZE, Field.OEM_METADATA_SIZE),
    /* struct { image_id, version, common_metadata_size, qti_metadata_size, oem_metadata_size,
     *          hash_table_size, qti_signature_size, qti_cert_chain_size, signature_size, cert_chain_size,
     *          common metadata: major_version, minor_version, sw_id, secondary_sw_id, hash_algorithm,
     *          measurement_register; }  64 bytes */
    V7(7, Field.IMAGE_ID, Field.VERSION, Field.COMMON_METADATA_SIZE, Field.QTI_METADATA_SIZE,
            Field.OEM_METADATA_SIZE, Field.HASH_TABLE_SIZE, Field.QTI_SIGNATURE_SIZE, Field.QTI_CERT_CHAIN_SIZE,
            Field.SIGNATURE_SIZE, Field.CERT_CHAIN_SIZE, Field.MAJOR_VERSION, Field.MINOR_VERSION, Field.SW_ID,
            Field.SECONDARY_SW_ID, Field.HASH_ALGORITHM, Field.MEASUREMENT_REGISTER);

    /** The header's fields over all versions; a version has the ones its layout names. */
    enum Field {
        IMAGE_ID, VERSION, IMAGE_SRC, IMAGE_DEST_PTR, IMAGE_SIZE, HASH_TABLE_SIZE, SIGNATURE_PTR,
        SIGNATURE_SIZE, CERT_CHAIN_PTR, CERT_CHAIN_SIZE, QTI_SIGNATURE_SIZE, QTI_CERT_CHAIN_SIZE,
        QTI_METADATA_SIZE, OEM_METADATA_SIZE, COMMON_METADATA_SIZE, MAJOR_VERSION, MINOR_VERSION, SW_ID,
        SECONDARY_SW_ID, HASH_ALGORITHM, MEASUREMENT_REGISTER;

        /** Every field's type. Declared here, not in the outer enum, so it exists while the layouts are built. */
        static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        /** The name in the format's description and in the C header: the constant in lower case. */
        String cName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int version;
    private final StructLayout layout;
    private final Map<Field, Long> offsets = new EnumMap<>(Field.class);

    HeaderLayout(int version, Field... fields) {
        this.version = version;
        this.layout = MemoryLayout.structLayout(Arrays.stream(fields).map(f -> Field.U32.withName(f.cName()))
                .toArray(MemoryLayout[]::new)).withName("mbn_v" + version + "_header");
        for (Field f : fields) {
            offsets.put(f, layout.byteOffset(MemoryLayout.PathElement.groupElement(f.cName())));
        }
    }

    /** The versions in the order of the enum: 3, 5, 6, 7. */
    static final List<Integer> VERSIONS = Arrays.stream(values()).map(HeaderLayout::version).toList();

    /** Where every version keeps its version number: the one field a reader trusts before knowing the layout. */
    static final long VERSION_OFFSET = V3.offset(Field.VERSION);

    static {
        for (HeaderLayout h : values()) {
            if (h.offset(Field.VERSION) != VERSION_OFFSET) {
                throw new AssertionError(h + " moves the version field: no reader could tell the versions apart");
            }
        }
    }

    /** The layout of MBN header {@code version}, which must be one of {@link #VERSIONS}. */
    static HeaderLayout of(int version) {
        return Arrays.stream(values()).filter(h -> h.version == version).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("MBN version " + version + " is not one of " + VERSIONS));
    }

    int version() {
        return version;
    }

    StructLayout layout() {
        return layout;
    }

    long size() {
        return layout.byteSize();
    }

    boolean has(Field field) {
        return offsets.containsKey(field);
    }

    /** The field's byte offset, taken from the layout. */
    long offset(Field field) {
        Long at = offsets.get(field);
        if (at == null) {
            throw new IllegalArgumentException("the MBN v" + version + " header has no " + field.cName());
        }
        return at;
    }

    /** The field as an unsigned value, or 0 where this version has no such field (no region of that kind). */
    long sizeOrZero(MemorySegment header, Field field) {
        return has(field) ? get(header, field) : 0;
    }

    long get(MemorySegment header, Field field) {
        return Integer.toUnsignedLong(header.get(Field.U32, offset(field)));
    }

    void set(MemorySegment header, Field field, long value) {
        header.set(Field.U32, offset(field), (int) value);
    }
}
