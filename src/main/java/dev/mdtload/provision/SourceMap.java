package dev.mdtload.provision;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each field and list element of a manifest is written, and which fields the schema does
 * not know. Found by walking the parser's tokens against the records the manifest binds to,
 * before binding: Jackson buffers a record's fields to call its constructor, and the buffered
 * tokens no longer know their lines, so its own errors point at the end of the record instead.
 * Paths look like {@code processors[1].pas_id}.
 */
final class SourceMap {
    private final ObjectMapper mapper;
    private final Map<String, Integer> lines = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private SourceMap(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @throws com.fasterxml.jackson.core.JacksonException the text is not YAML or JSON at all */
    static SourceMap of(ObjectMapper mapper, String text, Class<? extends Record> root) throws IOException {
        SourceMap map = new SourceMap(mapper);
        try (JsonParser parser = mapper.createParser(text)) {
            if (parser.nextToken() != null) {
                map.value(parser, mapper.constructType(root), "");
            }
        }
        return map;
    }

    /** One line per unknown or repeated field: {@code LINE: PATH: unknown field 'x' (known: a, b)}. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** The line {@code path} starts on, or its nearest enclosing field's, or 1. */
    int line(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
        }
        return 1;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    private void value(JsonParser parser, JavaType type, String path) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT && type.isRecordType()) {
            fields(parser, type, path);
        } else if (token == JsonToken.START_ARRAY && type.isCollectionLikeType()) {
            for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                String element = path + "[" + i + "]";
                lines.put(element, line(parser.currentTokenLocation()));
                value(parser, type.getContentType(), element);
            }
        } else {
            // a scalar, or a shape the binding will refuse with its own message
            parser.skipChildren();
        }
    }

    private void fields(JsonParser parser, JavaType type, String path) throws IOException {
        Map<String, JavaType> known = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : mapper.getDeserializationConfig().introspect(type).findProperties()) {
            known.put(p.getName(), p.getPrimaryType());
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String field = path.isEmpty() ? name : path + "." + name;
            int line = line(parser.currentTokenLocation());
            parser.nextToken();
            JavaType fieldType = known.get(name);
            if (fieldType == null) {
                problems.add(line + ": " + field + ": unknown field '" + name + "' (known: "
                        + String.join(", ", known.keySet()) + ")");
                parser.skipChildren();
                continue;
            }
            if (lines.putIfAbsent(field, line) != null) {
                problems.add(line + ": " + field + ": given twice (first on line " + lines.get(field) + ")");
            }
            value(parser, fieldType, field);
        }
    }

    private static int line(JsonLocation location) {
        return Math.max(1, location.getLineNr());
    }
}
