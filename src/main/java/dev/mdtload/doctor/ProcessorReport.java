package dev.mdtload.doctor;

import dev.mdtload.board.Carveout;
import dev.mdtload.board.Processor;

import java.util.List;

/**
 * Doctor's verdict on one remote processor: the images it requests, its fixed carveouts, and
 * every finding. A disabled processor is listed and not examined: the kernel never probes it.
 */
public record ProcessorReport(Processor processor, List<ImageCheck> images, List<Carveout> carveouts,
                              List<Finding> findings) {
    public ProcessorReport {
        images = List.copyOf(images);
        carveouts = List.copyOf(carveouts);
        findings = List.copyOf(findings);
    }

    /** It would start: no error (warnings say only what doctor could not check). */
    public boolean healthy() {
        return findings.stream().noneMatch(Finding::isError);
    }
}
