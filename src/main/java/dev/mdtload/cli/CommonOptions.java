package dev.mdtload.cli;

import picocli.CommandLine.Option;

/** Options most subcommands take; those every command takes (-q, -v, --debug) are Main's. */
final class CommonOptions {
    @Option(names = "--json", description = "Write one JSON object per line instead of text.")
    boolean json;
}
