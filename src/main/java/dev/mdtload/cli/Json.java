package dev.mdtload.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mdtload.image.LoadLayout;

import java.util.List;

/** JSON as every command writes it: snake_case fields, one object per line. */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** One segment's place in a carveout, as {@code map --json} and {@code load --json} report it. */
    public record PlacementView(int segment, long offset, long address, long filesz, long memsz) {
        static List<PlacementView> of(List<LoadLayout.Placement> placements) {
            return placements.stream().map(p -> new PlacementView(p.phdr().index(), p.offset(), p.address(),
                    p.phdr().p_filesz(), p.phdr().p_memsz())).toList();
        }
    }

    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // every value written is a record of strings, numbers and lists
            throw new AssertionError("cannot serialise " + value.getClass(), e);
        }
    }
}
