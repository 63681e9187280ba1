package dev.mdtload.carveout;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The kinds that name memory other runs can name too (a file, a physical range, a UIO map):
 * what is written stays there, and only one mdtload may hold it at a time.
 */
abstract class SharedCarveoutContract extends CarveoutContract {

    /** The spec as the lock refusal names it. */
    abstract String lockedName();

    @Test
    void writtenBytes_surviveCloseAndReopen() throws Exception {
        byte[] written = Bytes.pattern(SIZE, 3);
        try (Carveout carveout = open()) {
            Bytes.write(carveout.memory(), written);
            carveout.flush();
        }
        try (Carveout again = open()) {
            assertArrayEquals(written, again.memory().toArray(JAVA_BYTE));
        }
    }

    @Test
    void secondOpen_isRefusedWhileTheFirstIsOpen() throws Exception {
        try (Carveout first = open()) {
            IOException e = assertThrows(IOException.class, this::open);
            assertEquals("carveout " + lockedName() + " is in use by another mdtload (flock: EWOULDBLOCK)", e.getMessage());
            assertEquals(SIZE, first.size(), "the first carveout is still mapped");
        }
    }

    @Test
    void secondOpen_succeedsOnceTheFirstIsClosed() throws Exception {
        open().close();
        try (Carveout second = open()) {
            assertEquals(SIZE, second.size());
        }
    }
}
