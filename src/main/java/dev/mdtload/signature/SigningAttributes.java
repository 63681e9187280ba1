package dev.mdtload.signature;

import com.fasterxml.jackson.annotation.JsonValue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an image is signed for: software id, hardware id, debug setting, OEM and model ids, the
 * hash algorithm. Up to MBN v5 they are OU fields of the attestation certificate in the form
 * {@code NN HEX NAME} ("01 000000000000000E SW_ID"); from v6 on they are the OEM metadata words
 * of the hash segment. Each source states some of them; an image may state none.
 *
 * <p>The JSON is one object: {@code source}, the ids stated ({@code sw_id, hw_id, debug, oem_id,
 * sw_size, model_id}), {@code hash_algorithm} when stated and {@code fields}; null when nothing is stated.
 */
public sealed interface SigningAttributes {
    String SOURCE_OU = "attestation-ou";
    String SOURCE_METADATA = "oem-metadata";
    String SOURCE_COMMON_METADATA = "common-metadata";

    /** Size of the v6 OEM (and QTI) metadata, as every real v6 image has it. */
    int V6_METADATA_SIZE = 120;

    /** The ids an image can be signed for, in the order the JSON and the summary give them. */
    enum Id {
        SW_ID, HW_ID, DEBUG, OEM_ID, SW_SIZE, MODEL_ID;

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where they were read: {@link #SOURCE_OU}, {@link #SOURCE_METADATA} or {@link #SOURCE_COMMON_METADATA}; empty when nothing is stated. */
    Optional<String> source();

    /** The value of {@code id}, when this source states it. */
    OptionalLong id(Id id);

    Optional<String> hashAlgorithm();

    /** The OU fields the attributes were read from; none for metadata. */
    default List<OuField> fields() {
        return List.of();
    }

    /** {@code source}, each id stated, {@code hash_algorithm} when stated, {@code fields}; null when nothing is. */
    @JsonValue
    default Map<String, Object> json() {
        return source().map(source -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("source", source);
            for (Id id : Id.values()) {
                id(id).ifPresent(v -> json.put(id.json(), v));
            }
            hashAlgorithm().ifPresent(h -> json.put("hash_algorithm", h));
            json.put("fields", fields());
            return json;
        }).orElse(null);
    }

    /** The ids as a one-line summary: "SW_ID 0xe  HW_ID 0x0  DEBUG 0x2 ..."; empty when nothing is stated. */
    default String summary() {
        List<String> parts = new ArrayList<>();
        for (Id id : Id.values()) {
            id(id).ifPresent(v -> parts.add(id.name() + " 0x" + Long.toHexString(v)));
        }
        hashAlgorithm().ifPresent(h -> parts.add("hash " + h));
        return String.join("  ", parts);
    }

    /**
     * The Qualcomm OU fields of an attestation certificate.
     *
     * @param fields every {@code NN HEX NAME} OU field as found, in field-number order; at least one
     */
    record OuFields(List<OuField> fields) implements SigningAttributes {
        public OuFields {
            fields = fields.stream().sorted(Comparator.comparingInt(OuField::number)).toList();
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("no OU fields: an attestation certificate without them states nothing");
            }
        }

        @Override
        public OptionalLong id(Id id) {
            return fields.stream().filter(f -> f.name().toUpperCase(Locale.ROOT).equals(id.name()))
                    .mapToLong(OuField::value).findFirst();
        }

        /** Field 07's name: "07 0001 SHA256". */
        @Override
        public Optional<String> hashAlgorithm() {
            return fields.stream().filter(f -> f.number() == 7).map(OuField::name).findFirst();
        }

        @Override
        public Optional<String> source() {
            return Optional.of(SOURCE_OU);
        }
    }

    /** One Qualcomm OU field; for field 07 the name is the hash algorithm ("07 0001 SHA256"). */
    record OuField(int number, long value, String name) {
        /** The field as the real attestation certificates carry it: ids 16 hex digits, SW_SIZE 8, the rest 4. */
        public String text() {
            int digits = number <= 3 ? 16 : number == 5 ? 8 : 4;
            return String.format("%02d %0" + digits + "X %s", number, value, name);
        }
    }

    /**
     * The 120-byte v6 metadata: major, minor, sw_id, hw_id, oem_id, model_id, app_id, flags
     * (debug in bits 8..9), then SoC versions, serial numbers, root index, anti-rollback version.
     * Field order as in public MBN readers, matching the real a650_zap (sw_id 0x14) and wpss
     * (sw_id 0xd) images. The digest table of every v6 image is SHA-384.
     */
    record V6Metadata(long swId, long hwId, long debug, long oemId, long modelId) implements SigningAttributes {
        @Override
        public OptionalLong id(Id id) {
            return switch (id) {
                case SW_ID -> OptionalLong.of(swId);
                case HW_ID -> OptionalLong.of(hwId);
                case DEBUG -> OptionalLong.of(debug);
                case OEM_ID -> OptionalLong.of(oemId);
                case MODEL_ID -> OptionalLong.of(modelId);
                case SW_SIZE -> OptionalLong.empty();
            };
        }

        @Override
        public Optional<String> hashAlgorithm() {
            return Optional.of("SHA384");
        }

        @Override
        public Optional<String> source() {
            return Optional.of(SOURCE_METADATA);
        }
    }

    /**
     * The v7 common metadata: major, minor, sw_id, secondary sw_id, hash algorithm (2 = SHA-256,
     * 3 = SHA-384), measurement register.
     */
    record V7CommonMetadata(long swId, String hash) implements SigningAttributes {
        @Override
        public OptionalLong id(Id id) {
            return id == Id.SW_ID ? OptionalLong.of(swId) : OptionalLong.empty();
        }

        @Override
        public Optional<String> hashAlgorithm() {
            return Optional.of(hash);
        }

        @Override
        public Optional<String> source() {
            return Optional.of(SOURCE_COMMON_METADATA);
        }
    }

    /** Nothing stated: a certificate without Qualcomm OU fields, an image before v6 (its certificate states them), short v6 metadata. */
    record Unstated() implements SigningAttributes {
        @Override
        public Optional<String> source() {
            return Optional.empty();
        }

        @Override
        public OptionalLong id(Id id) {
            return OptionalLong.empty();
        }

        @Override
        public Optional<String> hashAlgorithm() {
            return Optional.empty();
        }
    }

    /**
     * Decodes the Qualcomm fields among a certificate's OU values; other OU values ("CDMA
     * Technologies") are not Qualcomm fields and are skipped.
     */
    static SigningAttributes fromOrganizationalUnits(List<String> ous) {
        List<OuField> fields = new ArrayList<>();
        for (String ou : ous) {
            Matcher m = OuPattern.OU.matcher(ou.strip());
            if (m.matches()) {
                fields.add(new OuField(Integer.parseInt(m.group(1)), Long.parseUnsignedLong(m.group(2), 16), m.group(3)));
            }
        }
        return fields.isEmpty() ? new Unstated() : new OuFields(fields);
    }

    /**
     * The OU fields for a new attestation certificate, valued as in the real v3 ones (DEBUG 2,
     * OEM_ID and MODEL_ID 0; SW_SIZE the size of the signed bytes), with field 07 "0001 SHA256"
     * only for the HMAC-style scheme, which is what it names.
     */
    static OuFields forAttestation(long swId, long hwId, long swSize, boolean hmacSha256) {
        List<OuField> fields = new ArrayList<>(List.of(
                new OuField(1, swId, "SW_ID"), new OuField(2, hwId, "HW_ID"), new OuField(3, 2, "DEBUG"),
                new OuField(4, 0, "OEM_ID"), new OuField(5, swSize, "SW_SIZE"), new OuField(6, 0, "MODEL_ID")));
        if (hmacSha256) {
            fields.add(new OuField(7, 1, "SHA256"));
        }
        return new OuFields(fields);
    }

    /** The v6 metadata, when it has the size every real v6 image gives it. */
    static SigningAttributes fromV6Metadata(MemorySegment metadata) {
        if (metadata.byteSize() < V6_METADATA_SIZE) {
            return new Unstated();
        }
        return new V6Metadata(word(metadata, 2), word(metadata, 3), (word(metadata, 7) >> 8) & 3, word(metadata, 4),
                word(metadata, 5));
    }

    static SigningAttributes fromV7CommonMetadata(MemorySegment common) {
        long algorithm = word(common, 4);
        String hash = algorithm == 2 ? "SHA256" : algorithm == 3 ? "SHA384" : "unknown (" + algorithm + ")";
        return new V7CommonMetadata(word(common, 2), hash);
    }

    private static long word(MemorySegment s, int index) {
        return Integer.toUnsignedLong(s.get(OuPattern.U32, index * 4L));
    }

    /** Constants an interface cannot keep private. */
    final class OuPattern {
        private OuPattern() {}

        /** "NN HEX NAME": two decimal digits, the value in hex, the field's name. */
        static final Pattern OU = Pattern.compile("(\\d{2}) ([0-9A-Fa-f]{1,16}) (\\S+)");
        static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    }
}
