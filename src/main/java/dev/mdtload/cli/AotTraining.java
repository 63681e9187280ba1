package dev.mdtload.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The training run for the JDK's AOT cache (JEP 483, 514, 515): runs several mdtload command lines
 * in one JVM, so that the cache holds the classes, and their linkage, of the commands people run.
 * A JVM records one training run, hence one process for all of them. `make` starts it through
 * bin/mdtload (MDTLOAD_AOT_TRAINING), so that the cache is made with the launcher's own JVM flags
 * and class path, which the JVM checks before it uses a cache.
 *
 * <p>Usage: {@code AotTraining CMD ARGS... [\; CMD ARGS...]...}; exits 3 if any command line did
 * not exit 0, so that a broken training run fails the build rather than caching error paths.
 */
final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        List<List<String>> commandLines = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(";")) {
                commandLines.add(List.copyOf(current));
                current.clear();
            } else {
                current.add(arg);
            }
        }
        commandLines.add(List.copyOf(current));
        for (List<String> commandLine : commandLines) {
            String[] line = commandLine.toArray(String[]::new);
            int exit = Main.run(line);
            if (exit != ExitCode.OK) {
                System.err.println("mdtload: AOT training: `mdtload " + String.join(" ", line) + "` exited " + exit);
                System.exit(ExitCode.ENVIRONMENT);
            }
        }
    }
}
