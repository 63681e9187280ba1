package dev.mdtload.cli;

import picocli.CommandLine.Option;

/** For commands that read images: PIL images always carry a hash segment, plain ELF files do not. */
final class UnsignedOption {
    @Option(names = "--allow-unsigned", description = "Accept a plain ELF without a hash segment.")
    boolean allowUnsigned;
}
