package dev.mdtload.signature;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an image is signed for: software id, hardware id, debug setting, OEM and model ids, the
 * hash algorithm. Up to MBN v5 they are OU fields of the attestation certificate in the form
 * {@code NN HEX NAME} ("01 000000000000000E SW_ID"); from v6 on they are the OEM metadata words
 * of the hash segment. Absent fields are null.
 *
 * @param source where they were read: "attestation-ou", "oem-metadata" or "common-metadata"
 * @param fields every {@code NN HEX NAME} OU field as found, in field-number order (empty for metadata)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SigningAttributes(String source, Long swId, Long hwId, Long debug, Long oemId, Long swSize,
                                Long modelId, String hashAlgorithm, List<OuField> fields) {

    public static final String SOURCE_OU = "attestation-ou";
    public static final String SOURCE_METADATA = "oem-metadata";
    public static final String SOURCE_COMMON_METADATA = "common-metadata";

    /** Size of the v6 OEM (and QTI) metadata, as every real v6 image has it. */
    public static final int V6_METADATA_SIZE = 120;

    /** "NN HEX NAME": two decimal digits, the value in hex, the field's name. */
    private static final Pattern OU = Pattern.compile("(\\d{2}) ([0-9A-Fa-f]{1,16}) (\\S+)");
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public SigningAttributes {
        fields = List.copyOf(fields);
    }

    /** One Qualcomm OU field; for field 07 the name is the hash algorithm ("07 0001 SHA256"). */
    public record OuField(int number, long value, String name) {
        /** The field as the real attestation certificates carry it: ids 16 hex digits, SW_SIZE 8, the rest 4. */
        public String text() {
            int digits = number <= 3 ? 16 : number == 5 ? 8 : 4;
            return String.format("%02d %0" + digits + "X %s", number, value, name);
        }
    }

    /**
     * Decodes the Qualcomm fields among a certificate's OU values; other OU values ("CDMA
     * Technologies") are not Qualcomm fields and are skipped. Null when there are none.
     */
    public static SigningAttributes fromOrganizationalUnits(List<String> ous) {
        List<OuField> fields = new ArrayList<>();
        for (String ou : ous) {
            Matcher m = OU.matcher(ou.strip());
            if (m.matches()) {
                fields.add(new OuField(Integer.parseInt(m.group(1)), Long.parseUnsignedLong(m.group(2), 16), m.group(3)));
            }
        }
        return fields.isEmpty() ? null : ofFields(fields);
    }

    /**
     * The OU fields for a new attestation certificate, valued as in the real v3 ones (DEBUG 2,
     * OEM_ID and MODEL_ID 0; SW_SIZE the size of the signed bytes), with field 07 "0001 SHA256"
     * only for the HMAC-style scheme, which is what it names.
     */
    public static SigningAttributes forAttestation(long swId, long hwId, long swSize, boolean hmacSha256) {
        List<OuField> fields = new ArrayList<>(List.of(
                new OuField(1, swId, "SW_ID"), new OuField(2, hwId, "HW_ID"), new OuField(3, 2, "DEBUG"),
                new OuField(4, 0, "OEM_ID"), new OuField(5, swSize, "SW_SIZE"), new OuField(6, 0, "MODEL_ID")));
        if (hmacSha256) {
            fields.add(new OuField(7, 1, "SHA256"));
        }
        return ofFields(fields);
    }

    private static SigningAttributes ofFields(List<OuField> unsorted) {
        List<OuField> fields = new ArrayList<>(unsorted);
        fields.sort(Comparator.comparingInt(OuField::number));
        String hash = fields.stream().filter(f -> f.number() == 7).map(OuField::name).findFirst().orElse(null);
        return new SigningAttributes(SOURCE_OU, named(fields, "SW_ID"), named(fields, "HW_ID"), named(fields, "DEBUG"),
                named(fields, "OEM_ID"), named(fields, "SW_SIZE"), named(fields, "MODEL_ID"), hash, fields);
    }

    /**
     * The 120-byte v6 metadata: major, minor, sw_id, hw_id, oem_id, model_id, app_id, flags
     * (debug in bits 8..9), then SoC versions, serial numbers, root index, anti-rollback version.
     * Field order as in public MBN readers, matching the real a650_zap (sw_id 0x14) and wpss
     * (sw_id 0xd) images. The digest table of every v6 image is SHA-384.
     */
    public static SigningAttributes fromV6Metadata(MemorySegment metadata) {
        if (metadata.byteSize() < V6_METADATA_SIZE) {
            return null;
        }
        return new SigningAttributes(SOURCE_METADATA, word(metadata, 2), word(metadata, 3), (word(metadata, 7) >> 8) & 3,
                word(metadata, 4), null, word(metadata, 5), "SHA384", List.of());
    }

    /** The v7 common metadata: major, minor, sw_id, secondary sw_id, hash algorithm (2 = SHA-256, 3 = SHA-384), measurement register. */
    public static SigningAttributes fromV7CommonMetadata(MemorySegment common) {
        long algorithm = word(common, 4);
        String hash = algorithm == 2 ? "SHA256" : algorithm == 3 ? "SHA384" : "unknown (" + algorithm + ")";
        return new SigningAttributes(SOURCE_COMMON_METADATA, word(common, 2), null, null, null, null, null, hash, List.of());
    }

    private static Long named(List<OuField> fields, String name) {
        return fields.stream().filter(f -> f.name().toUpperCase(Locale.ROOT).equals(name))
                .map(OuField::value).findFirst().orElse(null);
    }

    private static long word(MemorySegment s, int index) {
        return Integer.toUnsignedLong(s.get(U32, index * 4L));
    }

    /** The ids as a one-line summary: "SW_ID 0xe HW_ID 0x0 DEBUG 0x2 ...". */
    public String summary() {
        StringBuilder b = new StringBuilder();
        append(b, "SW_ID", swId);
        append(b, "HW_ID", hwId);
        append(b, "DEBUG", debug);
        append(b, "OEM_ID", oemId);
        append(b, "SW_SIZE", swSize);
        append(b, "MODEL_ID", modelId);
        if (hashAlgorithm != null) {
            b.append(b.isEmpty() ? "" : "  ").append("hash ").append(hashAlgorithm);
        }
        return b.toString();
    }

    private static void append(StringBuilder b, String name, Long value) {
        if (value != null) {
            b.append(b.isEmpty() ? "" : "  ").append(name).append(" 0x").append(Long.toHexString(value));
        }
    }
}
