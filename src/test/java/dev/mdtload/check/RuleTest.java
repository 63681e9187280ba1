package dev.mdtload.check;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleTest {

    @Test
    void ids_areDistinctKebabCase() {
        Set<String> seen = new HashSet<>();
        for (Rule r : Rule.values()) {
            assertTrue(r.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), r.id());
            assertTrue(seen.add(r.id()), "duplicate id " + r.id());
            assertEquals(r.id(), r.toString());
        }
    }

    @Test
    void ids_includeThoseIssue3Names() {
        List<String> ids = Arrays.stream(Rule.values()).map(Rule::id).toList();
        assertTrue(ids.containsAll(List.of("digest-mismatch", "segment-truncated", "filesz-exceeds-memsz", "part-missing")));
    }

    @Test
    void line_namesFileSegmentMessageAndRule() {
        Violation v = Violation.of(Rule.PART_MISSING, "fw/q6_fw.mdt", 4, "q6_fw.b04 is missing");
        assertEquals("fw/q6_fw.mdt: segment 4: q6_fw.b04 is missing [part-missing]", v.line());
        assertEquals("fw.mbn: bad ELF magic [bad-magic]", Violation.of(Rule.BAD_MAGIC, "fw.mbn", "bad ELF magic").line());
    }

    @Test
    void invalidImageException_carriesTheFirstLineAsMessageAndNeedsAViolation() {
        Violation first = Violation.of(Rule.PART_MISSING, "a.mdt", 2, "a.b02 is missing");
        InvalidImageException e = new InvalidImageException(List.of(first, Violation.of(Rule.DIGEST_MISMATCH, "a.mdt", 3, "x")));
        assertEquals(first.line(), e.getMessage());
        assertEquals(Rule.PART_MISSING, e.rule());
        assertEquals(2, e.violations().size());
        assertThrows(IllegalArgumentException.class, () -> new InvalidImageException(List.of()));
    }
}
