package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.check.InvalidImageException;
import dev.mdtload.files.AtomicFile;
import dev.mdtload.image.FirmwareImage;
import dev.mdtload.image.LoadLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "map",
        header = "Show where each segment of an image lands in a carveout.",
        description = {"Example: mdtload map wpss.mdt --phys 0x9ae00000 --size 0x1900000 --svg wpss.svg"})
final class MapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "IMAGE", description = "The image (.mdt or .mbn).")
    Path image;

    @Option(names = "--phys", required = true, paramLabel = "ADDR", converter = Converters.Phys.class,
            description = "Physical base address of the carveout.")
    PhysAddr phys;

    @Option(names = "--size", required = true, paramLabel = "BYTES", converter = Converters.Size.class,
            description = "Size of the carveout.")
    long size;

    @Option(names = "--svg", paramLabel = "FILE",
            description = "Also draw the map as SVG into FILE; - for stdout (the table then goes to stderr).")
    Path svg;

    @Option(names = "--force", description = "Replace an existing SVG file.")
    boolean force;

    /** {@code map --json}: the image, the carveout it was placed in, and where each segment lands. */
    record View(String image, long base, long size, boolean relocatable, long loadSize, List<Json.PlacementView> placements) {}

    @Override
    public Integer call() throws IOException, Failure {
        CarveoutOptions.check(phys, size);
        try (FirmwareImage fw = FirmwareImage.open(image)) {
            if (!fw.violations().isEmpty()) {
                throw new InvalidImageException(fw.violations());
            }
            LoadLayout layout = fw.layout();
            List<LoadLayout.Placement> placements = layout.place(image.toString(), phys.value(), size);
            MapPicture picture = new MapPicture(image.toString(), phys.value(), size, layout.relocatable(), placements);
            PrintWriter report = spec.commandLine().getOut();
            if (svg != null) {
                try (Output drawing = Output.of(svg, Output.imageFiles(image))) {
                    AtomicFile.write(drawing.path(), force, picture.svg().getBytes(StandardCharsets.UTF_8));
                    drawing.finish();
                    report = drawing.report(report, spec.commandLine().getErr());
                }
            }
            if (common.json) {
                report.println(Json.success(spec, new View(image.toString(), phys.value(), size,
                        layout.relocatable(), layout.loadSize(), Json.PlacementView.of(placements))));
            } else {
                report.print(picture.text());
            }
            report.flush();
            return ExitCode.OK;
        }
    }
}
