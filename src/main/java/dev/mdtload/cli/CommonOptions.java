package dev.mdtload.cli;

import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class CommonOptions {
    @Option(names = "--debug", description = "Print stack traces with errors.")
    boolean debug;

    @Option(names = "--json", description = "Write one JSON object per line instead of text.")
    boolean json;
}
