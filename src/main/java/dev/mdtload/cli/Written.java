package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** What a command that writes files reports: the input and the files now in place. */
record Written(String input, List<String> outputs) {
    Written {
        outputs = List.copyOf(outputs);
    }

    static Written of(Path input, List<Path> outputs) {
        return new Written(input.toString(), outputs.stream().map(Path::toString).toList());
    }

    /** What was written, on {@code out} (stdout, or stderr when stdout holds the output itself). */
    void print(CommandSpec spec, PrintWriter out, boolean json) throws UsageFailure {
        if (json) {
            out.println(Json.success(spec, this));
        } else if (Verbosity.of(spec) != Verbosity.QUIET) {
            outputs.forEach(o -> out.println("wrote " + o));
        }
        out.flush();
    }
}
