package dev.mdtload.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the board's file system starts: {@code /} on the board, a fake board's directory in tests and demos. */
final class RootOption {
    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "Root of the board's file system (sysfs, device tree, /lib/firmware); default /.")
    Path root;
}
