package dev.mdtload.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mdtload.board.Board;
import dev.mdtload.board.Carveout;
import dev.mdtload.board.DeviceTree;
import dev.mdtload.board.DeviceTreeException;

import java.lang.foreign.MemorySegment;

/**
 * Target (d): the FDT parser and the board model over arbitrary bytes as a {@code .dtb}. The only
 * way out for a bad blob is a one-line {@link DeviceTreeException}; a blob that parses must give
 * carveouts whose ranges do not wrap, and every overlap reported must really overlap.
 */
class DeviceTreeFuzzTest {
    @FuzzTest
    void flattenedBlob(byte[] input) {
        Board board;
        try {
            board = Board.of(DeviceTree.parseBlob(MemorySegment.ofArray(input), "fuzz.dtb"));
        } catch (DeviceTreeException e) {
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
                throw new AssertionError("device-tree error is not one line: " + message);
            }
            return;
        }
        for (Carveout c : board.carveouts()) {
            if (c.size() <= 0 || c.end().value() < c.base().value()) {
                throw new AssertionError("carveout " + c + " is empty or wraps");
            }
        }
        for (var o : board.overlaps()) {
            if (o.end().value() <= o.start().value()) {
                throw new AssertionError("overlap " + o + " covers nothing");
            }
        }
    }
}
