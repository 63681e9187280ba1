package dev.mdtload.check;

import dev.mdtload.testing.GeneratedFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/rules.md is the rule table rendered from {@link Rule}, so the documented severities and
 * reasons cannot drift from the code. After changing a rule, rewrite the page with
 * {@code mvn test -Dtest=RuleTableDocTest -Dmdtload.writeDocs=true}.
 */
class RuleTableDocTest {
    private static final Path DOC = Path.of("docs/rules.md");

    static String render() {
        StringBuilder out = new StringBuilder("""
                # Rules and the device's verdict

                <!-- generated from dev.mdtload.check.Rule by RuleTableDocTest: edit the enum, not this page -->

                Every rule mdtload checks, with its severity and the reason for it. A rule is an **error**
                where the kernel loader or the secure world would refuse the image, or where reading it
                would be unsafe or unbounded for mdtload: the image is invalid (exit 1). It is a
                **warning** where the image is unusual but the device loads it: `info`, `validate` and
                `load` list it with its rule id (`mdtload: warning: FILE: segment N: message [rule-id]` on
                stderr, a `warnings` array in JSON) and the exit code does not change; `--strict` counts
                warnings as errors. Kernel reasons name the function of %s.

                Basis: *kernel* (the Linux loader), *secure world* (the PAS service that authenticates
                the metadata and the loaded memory), *mdtload's safety* (reading would be unsafe or
                unbounded, or mdtload cannot check what the device would).

                | rule | severity | basis | what | reason |
                |---|---|---|---|---|
                """.formatted(Rule.KERNEL_SOURCE));
        for (Rule r : Rule.values()) {
            out.append(String.format("| `%s` | %s | %s | %s | %s |%n", r.id(), r.severity(), r.basis().label(),
                    cell(r.summary()), cell(r.reason())));
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    @Test
    void docsRulesMd_isTheRuleTableRendered() throws IOException {
        GeneratedFiles.assertUpToDate(DOC, render(), "RuleTableDocTest");
    }

    @Test
    void everyRule_hasASeverityABasisAndAReason() {
        for (Rule r : Rule.values()) {
            assertFalse(r.reason().isBlank(), r.id());
            assertTrue(r.reason().length() > 20, r.id() + ": a reason, not a word");
        }
    }

    @Test
    void everyKernelReason_namesAFunctionOfTheLoader() {
        Arrays.stream(Rule.values()).filter(r -> r.basis() == Basis.KERNEL).forEach(r ->
                assertTrue(r.reason().matches(".*\\b(mdt_header_valid|__qcom_mdt_load|qcom_mdt_get_size|"
                        + "mdt_load_split_segment|qcom_mdt_read_metadata|qcom_mdt_bins_are_split)\\(\\).*"), r.id() + ": " + r.reason()));
    }

    @Test
    void warnings_areExactlyTheShapesTheDeviceLoads() {
        // the real images once refused: shared file bytes (wlanmdsp, modem), overlapping zero fill
        // (wcnss), SHA-256 in v6 (msbtfw11); plus two that the kernel or secure world never reads
        assertEquals(Set.of(Rule.FILE_BYTES_OVERLAP, Rule.ZERO_FILL_OVERLAP, Rule.HASH_ALGORITHM_UNUSUAL,
                        Rule.PART_DIFFERS, Rule.DIGEST_NOT_ZERO),
                EnumSet.copyOf(Arrays.stream(Rule.values()).filter(r -> r.severity() == Severity.WARNING).toList()));
    }
}
