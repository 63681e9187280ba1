package dev.mdtload.cli;

import dev.mdtload.failure.Failure;
import dev.mdtload.image.Validator;
import dev.mdtload.rproc.FirmwareName;
import dev.mdtload.rproc.Remoteproc;
import dev.mdtload.rproc.Remoteprocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

@Command(name = "start",
        header = "Validate an image, stage it into the firmware search path, and boot a processor with it.",
        description = {
                "An image that breaks a rule is refused (exit 1) before anything is written. It is staged with "
                        + "its .bNN parts under the firmware name, each file atomically, into the directory named by "
                        + "ROOT/sys/module/firmware_class/parameters/path, else ROOT/lib/firmware; then the name goes "
                        + "to firmware, start to state, and state is read until it says running.",
                "Exit 4 when the kernel refuses, the processor crashes, or it is not running in time.",
                "Example: mdtload rproc start wpss wpss.mdt --as ath11k/WCN6750/hw1.0/wpss.mdt"})
final class RprocStartCommand extends RprocSubcommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "remoteprocN or the processor's name.")
    String name;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "The image (.mdt or .mbn).")
    Path image;

    @Option(names = "--as", paramLabel = "FIRMWARE",
            description = "Firmware name, relative to the search path (default: the image's file name).")
    String as;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", converter = Converters.Seconds.class,
            description = "How long to wait for running: 10, 2.5 or 500ms; default 10 s.")
    Duration timeout;

    @Mixin
    UnsignedOption unsigned;

    /** The JSON form of a start. */
    record View(Remoteproc processor, String firmware, List<String> staged, long elapsedMs) {}

    @Override
    public Integer call() throws IOException, Failure {
        FirmwareName firmware = FirmwareName.of(as != null ? as : String.valueOf(image.getFileName()));
        Remoteprocs.Started s = remoteprocs().start(name, image, firmware, new Validator(unsigned.allowUnsigned), timeout);
        if (common.json) {
            out().println(Json.success(spec, new View(s.processor(), s.firmware().value(),
                    s.staged().stream().map(String::valueOf).toList(), s.elapsed().toMillis())));
        } else {
            out().printf("%s: staged %s (%d file%s) in %s%n", s.processor().label(), s.firmware(), s.staged().size(),
                    s.staged().size() == 1 ? "" : "s", s.staged().getLast().getParent());
            out().printf("%s: %s after %d ms%n", s.processor().label(), s.processor().state(), s.elapsed().toMillis());
        }
        return done();
    }
}
