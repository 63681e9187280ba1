package dev.mdtload.doctor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardRuleTest {
    @Test
    void readmesDoctorTable_listsEveryRuleWithItsSeverity() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int from = readme.indexOf("\n## Doctor\n");
        assertTrue(from >= 0, "README.md has a Doctor section");
        String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| (error|warning) \\|").matcher(section);
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        Map<String, String> rules = new LinkedHashMap<>();
        Arrays.stream(BoardRule.values()).forEach(r -> rules.put(r.id(), r.severity().id()));
        assertEquals(rules, documented);
    }

    @Test
    void ids_areKebabCase_andNoImageRuleHasThem() {
        for (BoardRule r : BoardRule.values()) {
            assertTrue(r.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), r.id());
            assertTrue(Arrays.stream(dev.mdtload.check.Rule.values()).noneMatch(i -> i.id().equals(r.id())), r.id());
            assertTrue(r.reason().length() > 20, r.id());
        }
    }
}
