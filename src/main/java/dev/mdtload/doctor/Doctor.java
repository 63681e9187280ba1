package dev.mdtload.doctor;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.board.Board;
import dev.mdtload.board.Carveout;
import dev.mdtload.board.Overlap;
import dev.mdtload.board.Processor;
import dev.mdtload.check.Severity;
import dev.mdtload.check.Violation;
import dev.mdtload.image.ImageReport;
import dev.mdtload.image.Validator;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.signature.RootRequirement;
import dev.mdtload.signature.SignatureReport;
import dev.mdtload.signature.Signatures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers "why won't this remote processor start?" offline, for every processor of a board: the
 * firmware it requests, where the kernel's search path finds it, the image's verdict under the
 * board's kernel, its signature's root, whether it fits its carveout, and carveout overlaps.
 *
 * @param validator judges each image found (with the board's kernel's loader rules)
 */
public record Doctor(Board board, SearchPath searchPath, Validator validator) {

    public List<ProcessorReport> examine() throws IOException {
        List<ProcessorReport> reports = new ArrayList<>();
        for (Processor p : board.processors()) {
            reports.add(p.enabled() ? examine(p)
                    : new ProcessorReport(p, List.of(), board.carveoutsOf(p), List.of()));
        }
        return reports;
    }

    private ProcessorReport examine(Processor p) throws IOException {
        List<Finding> findings = new ArrayList<>();
        List<ImageCheck> images = new ArrayList<>();
        if (p.firmwareNames().isEmpty()) {
            findings.add(Finding.of(p.name(), BoardRule.FIRMWARE_NAME_ABSENT,
                    "no firmware-name: the driver requests its built-in name"));
        }
        List<String> names = requested(p);
        for (int i = 0; i < names.size(); i++) {
            ImageCheck.Role role = i == 1 && p.pas() ? ImageCheck.Role.DTB_COMPANION : ImageCheck.Role.FIRMWARE;
            ImageCheck image = look(p, names.get(i), role, findings);
            images.add(image);
            if (image instanceof ImageCheck.Found found && found.report().valid()) {
                fit(p, i, found, findings);
            }
        }
        for (Overlap o : board.overlaps()) {
            overlapFinding(p, o).ifPresent(findings::add);
        }
        return new ProcessorReport(p, images, board.carveoutsOf(p), findings);
    }

    /**
     * The names the driver requests: a PAS processor reads only firmware-name's first string and,
     * as its DTB companion, the second (qcom_q6v5_pas.c's probe: of_property_read_string_index
     * 0 and 1); other drivers take each string as an image of their own.
     */
    private static List<String> requested(Processor p) {
        List<String> names = p.firmwareNames();
        return p.pas() && names.size() > 2 ? names.subList(0, 2) : names;
    }

    private ImageCheck look(Processor p, String name, ImageCheck.Role role, List<Finding> findings) throws IOException {
        FirmwareName firmware;
        try {
            firmware = FirmwareName.of(name);
        } catch (UsageFailure e) {
            findings.add(Finding.of(p.name(), BoardRule.FIRMWARE_NAME_INVALID, e.getMessage()));
            return new ImageCheck.Missing(name, role);
        }
        Optional<Path> path = searchPath.find(firmware);
        if (path.isEmpty()) {
            BoardRule rule = role == ImageCheck.Role.DTB_COMPANION ? BoardRule.COMPANION_MISSING : BoardRule.FIRMWARE_MISSING;
            findings.add(Finding.of(p.name(), rule, String.format("%s%s is in none of %s",
                    role == ImageCheck.Role.DTB_COMPANION ? "dtb companion " : "", name, searchPath.directories())));
            return new ImageCheck.Missing(name, role);
        }
        // a file that cannot be read is the machine's failure (exit 3), as for validate, not the board's
        ImageReport report = validator.validate(path.get());
        // an unsigned image is a fact here, not a fault: loaders without a secure world (IPQ8074's WCSS) take it
        SignatureReport signature = Signatures.verify(path.get(), RootRequirement.ANY, true);
        report.errors().forEach(v -> findings.add(Finding.of(p.name(), v, Severity.ERROR)));
        report.warnings().forEach(v -> findings.add(Finding.of(p.name(), v, Severity.WARNING)));
        // the hash segment's faults are in both verdicts; say each once
        for (Violation v : signature.errors()) {
            if (!report.errors().contains(v)) {
                findings.add(Finding.of(p.name(), v, Severity.ERROR));
            }
        }
        return new ImageCheck.Found(name, role, path.get(), report, signature);
    }

    /**
     * Image {@code index} loads into memory-region entry {@code index} (qcom_q6v5_pas.c's
     * qcom_pas_alloc_memory_region() maps the DTB companion to entry 1). A relocatable image needs
     * its load size from the carveout's base (mem_setup is given that size); a fixed one needs its
     * own addresses inside the carveout.
     */
    private void fit(Processor p, int index, ImageCheck.Found image, List<Finding> findings) {
        List<String> regions = p.memoryRegions();
        if (index >= regions.size()) {
            findings.add(Finding.of(p.name(), p.pas() ? BoardRule.CARVEOUT_MISSING : BoardRule.CARVEOUT_UNKNOWN,
                    String.format("%s: no memory-region entry %d", image.name(), index)));
            return;
        }
        Optional<Carveout> carveout = board.carveout(regions.get(index));
        if (carveout.isEmpty()) {
            findings.add(Finding.of(p.name(), BoardRule.CARVEOUT_UNKNOWN, String.format(
                    "%s: memory-region entry %d is %s, which has no fixed reg", image.name(), index, regions.get(index))));
            return;
        }
        Carveout c = carveout.get();
        ImageReport r = image.report();
        long base = c.base().value();
        long end = c.end().value();
        long start = r.relocatable() ? base : r.minAddress();
        if (start < base || start >= end) {
            findings.add(Finding.of(p.name(), BoardRule.CARVEOUT_ADDRESS_MISMATCH, String.format(
                    "%s is fixed at 0x%x, outside carveout %s [0x%x, 0x%x)", image.name(), start, c.name(), base, end)));
        } else if (r.loadSize() > end - start) {
            findings.add(Finding.of(p.name(), BoardRule.CARVEOUT_TOO_SMALL, String.format(
                    "%s needs 0x%x bytes from 0x%x, carveout %s [0x%x, 0x%x) has 0x%x", image.name(), r.loadSize(),
                    start, c.name(), base, end, end - start)));
        }
    }

    private Optional<Finding> overlapFinding(Processor p, Overlap o) {
        List<String> regions = p.memoryRegions();
        String mine = regions.contains(o.first()) ? o.first() : regions.contains(o.second()) ? o.second() : "";
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        String other = mine.equals(o.first()) ? o.second() : o.first();
        List<String> users = board.carveout(other).map(board::usedBy).orElse(List.of()).stream()
                .map(Processor::name).filter(n -> !n.equals(p.name())).toList();
        return Optional.of(Finding.of(p.name(), BoardRule.CARVEOUTS_OVERLAP, String.format(
                "carveout %s overlaps %s%s in [0x%x, 0x%x)", mine, other,
                users.isEmpty() ? "" : " (" + String.join(", ", users) + ")", o.start().value(), o.end().value())));
    }
}
