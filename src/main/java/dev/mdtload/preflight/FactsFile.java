package dev.mdtload.preflight;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mdtload.preflight.BoardFacts.Fact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Board facts as a file (YAML, or JSON for a {@code .json} file) or a manifest's {@code facts:}
 * mapping writes them: {@code root_sha256: HEX}, {@code oem_id}, {@code model_id}, {@code hw_id},
 * {@code rollback}, and {@code soc: x1e80100}; numbers decimal or 0x hex (in JSON, hex as a string).
 */
public final class FactsFile {
    public static final List<String> FIELDS = List.of("root_sha256", "oem_id", "model_id", "hw_id", "rollback", "soc");

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new JsonMapper();

    private FactsFile() {}

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException the file is not a mapping of the known facts, each problem named
     */
    public static BoardFacts read(Path file) throws IOException {
        if (!Files.exists(file)) {
            // a mistyped name on the command line or in a manifest, as a missing image is: usage
            throw new IllegalArgumentException(file + ": no such file");
        }
        ObjectMapper mapper = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        Object tree;
        try {
            tree = mapper.readValue(file.toFile(), Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage().lines().findFirst().orElse("unreadable"));
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(file + ": board facts must be a mapping of " + String.join(", ", FIELDS));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        map.forEach((k, v) -> fields.put(String.valueOf(k), v));
        List<String> problems = new ArrayList<>();
        BoardFacts facts = of(fields, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        }
        return facts;
    }

    /** The facts of {@code fields}; each field that is unknown or not a value of its kind is added to {@code problems}. */
    public static BoardFacts of(Map<String, Object> fields, List<String> problems) {
        List<Fact> facts = new ArrayList<>();
        fields.forEach((name, value) -> {
            try {
                facts.add(switch (name) {
                    case "root_sha256" -> new Fact.Root(String.valueOf(value));
                    case "oem_id" -> new Fact.OemId(number(name, value));
                    case "model_id" -> new Fact.ModelId(number(name, value));
                    case "hw_id" -> new Fact.HwId(number(name, value));
                    case "rollback" -> new Fact.Rollback(number(name, value));
                    case "soc" -> new Fact.Soc(String.valueOf(value));
                    default -> throw new IllegalArgumentException("unknown fact '" + name + "' (known: "
                            + String.join(", ", FIELDS) + ")");
                });
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        return new BoardFacts(facts);
    }

    /** A whole number as YAML writes it (0x hex included), or as a string: "0x1234". */
    private static long number(String name, Object value) {
        if (value instanceof Integer || value instanceof Long) {
            long v = ((Number) value).longValue();
            if (v >= 0) {
                return v;
            }
        }
        if (value instanceof String text) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            try {
                return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            } catch (NumberFormatException notANumber) {
                // refused below, with the field's name
            }
        }
        if (value instanceof java.math.BigInteger big && big.signum() >= 0 && big.bitLength() <= 64) {
            return big.longValue();
        }
        throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number (decimal or 0x hex)");
    }
}
