package dev.mdtload.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A command about a board, whose file system starts at {@code --root}: the common options, the root, and output. */
abstract class RootedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    RootOption root;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Flushes what the command printed and returns success. */
    int done() {
        out().flush();
        return ExitCode.OK;
    }
}
