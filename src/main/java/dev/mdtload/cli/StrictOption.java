package dev.mdtload.cli;

import picocli.CommandLine.Option;

/** For commands that judge images: warnings (unusual, but the device loads it) are listed, or refused with --strict. */
final class StrictOption {
    @Option(names = "--strict", description = "Count warnings (unusual images the device still loads) as errors.")
    boolean strict;
}
