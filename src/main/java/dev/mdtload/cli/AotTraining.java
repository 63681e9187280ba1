package dev.mdtload.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The training run for the JDK's AOT cache (JEP 483, 514, 515): runs several mdtload command lines
 * in one JVM, as `make` records it, so the cache holds the classes, linkage and method profiles of
 * the commands people run. A JVM records one training run, hence one process for all of them.
 *
 * <p>Usage: {@code AotTraining CMD ARGS... [\; CMD ARGS...]...}; exits 3 if any command line did
 * not exit 0, so a broken training run fails the build instead of producing a cache of error paths.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        List<String> current = new ArrayList<>();
        List<List<String>> commandLines = new ArrayList<>();
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
        System.exit(ExitCode.OK);
    }
}
