package dev.mdtload.cli;

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

    void print(CommandSpec spec, boolean json) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.success(spec, this));
        } else {
            outputs.forEach(o -> out.println("wrote " + o));
        }
        out.flush();
    }
}
