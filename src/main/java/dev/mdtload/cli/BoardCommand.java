package dev.mdtload.cli;

import dev.mdtload.board.Board;
import dev.mdtload.board.DeviceTreeException;
import dev.mdtload.board.Carveout;
import dev.mdtload.board.Overlap;
import dev.mdtload.board.Processor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

@Command(name = "board",
        header = "List the board's reserved-memory carveouts and the processors that use them.",
        description = {
                "Reads the live device tree (ROOT/sys/firmware/devicetree/base), or a .dtb with --dtb.",
                "Exit 1 when two carveouts overlap.",
                "Example: mdtload board --dtb firmware-samples/board/board.dtb"})
final class BoardCommand extends RootedCommand {
    @Option(names = "--dtb", paramLabel = "FILE", description = "Read this flattened device tree instead of the live tree.")
    Path dtb;

    /** The JSON form: addresses as numbers, each carveout with the processors that use it. */
    record View(String source, List<CarveoutView> carveouts, List<Processor> processors, List<OverlapView> overlaps) {
        static View of(Board board) {
            return new View(board.source(),
                    board.carveouts().stream().map(c -> new CarveoutView(c.name(), c.path(), c.base().value(), c.size(),
                            c.end().value(), c.noMap(), users(board, c))).toList(),
                    board.processors(),
                    board.overlaps().stream().map(o -> new OverlapView(o.first(), o.second(), o.start().value(),
                            o.end().value())).toList());
        }
    }

    record CarveoutView(String name, String path, long base, long size, long end, boolean noMap, List<String> usedBy) {}

    record OverlapView(String first, String second, long start, long end) {}

    @Override
    public Integer call() throws IOException, DeviceTreeException {
        Board board = dtb != null ? Board.readDtb(dtb) : Board.read(root.root);
        if (common.json) {
            out().println(Json.envelope(spec, exit(board), View.of(board), board.overlaps().stream()
                    .map(o -> new Json.Problem("carveouts-overlap", board.source(), overlap(o))).toList(), List.of()));
        } else {
            print(out(), board);
        }
        out().flush();
        PrintWriter err = spec.commandLine().getErr();
        for (Overlap o : board.overlaps()) {
            err.printf("mdtload: %s: %s%n", board.source(), overlap(o));
        }
        err.flush();
        return exit(board);
    }

    private static int exit(Board board) {
        return board.overlaps().isEmpty() ? ExitCode.OK : ExitCode.INVALID;
    }

    private static String overlap(Overlap o) {
        return String.format("carveouts %s and %s overlap in [%s, %s)", o.first(), o.second(),
                Numbers.hex(o.start().value()), Numbers.hex(o.end().value()));
    }

    private static List<String> users(Board board, Carveout c) {
        return board.usedBy(c).stream().map(Processor::name).toList();
    }

    private static void print(PrintWriter out, Board board) {
        out.println(board.source());
        out.println("carveouts:");
        out.printf("  %-24s %-12s %-11s %-12s %-6s %s%n", "name", "base", "size", "end", "no-map", "used by");
        for (Carveout c : board.carveouts()) {
            List<String> users = users(board, c);
            out.printf("  %-24s %-12s %-11s %-12s %-6s %s%n", c.name(), Numbers.hex(c.base().value()), Numbers.hex(c.size()),
                    Numbers.hex(c.end().value()), c.noMap() ? "yes" : "no", users.isEmpty() ? "-" : String.join(", ", users));
        }
        out.println("processors:");
        out.printf("  %-24s %-9s %-24s %s%n", "name", "status", "carveouts", "firmware");
        for (Processor p : board.processors()) {
            out.printf("  %-24s %-9s %-24s %s%n", p.name(), p.enabled() ? "okay" : "disabled",
                    p.memoryRegions().isEmpty() ? "-" : String.join(", ", p.memoryRegions()),
                    p.firmwareNames().isEmpty() ? "-" : String.join(", ", p.firmwareNames()));
        }
        out.println(board.overlaps().isEmpty() ? "overlaps: none" : "overlaps: " + board.overlaps().size() + " (see stderr)");
    }
}
