package dev.mdtload.cli;

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

    void print(PrintWriter out, boolean json, Verbosity verbosity) {
        if (json) {
            out.println(Json.line(this));
        } else if (verbosity != Verbosity.QUIET) {
            outputs.forEach(o -> out.println("wrote " + o));
        }
        out.flush();
    }
}
