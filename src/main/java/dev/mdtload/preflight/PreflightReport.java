package dev.mdtload.preflight;

import java.util.List;

/** Every check of one image against one board for one PAS id, in the order the secure world makes them. */
public record PreflightReport(String image, long pasId, List<Finding> findings) {
    public PreflightReport {
        findings = List.copyOf(findings);
    }

    public List<Finding> failures() {
        return findings.stream().filter(Finding::failed).toList();
    }

    public boolean passed() {
        return failures().isEmpty();
    }
}
