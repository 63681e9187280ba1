package dev.mdtload.carveout;

import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every carveout kind must do alike. Bytes go in through {@link Carveout#memory()} and are
 * read back from the file behind it with plain file I/O, never through the mapping under test.
 */
abstract class CarveoutContract {
    static final long SIZE = 4 * Page.SIZE;

    @TempDir
    Path root;

    /** Opens the carveout under test ({@link #SIZE} bytes) in the tree under {@link #root}. */
    abstract Carveout open() throws Exception;

    abstract Optional<PhysAddr> expectedPhysBase();

    /** {@link Carveout#describe()} as a person expects to read it for this kind. */
    abstract String expectedDescription();

    /** Where plain file I/O finds the bytes of {@code opened}: a file, and the offset of byte 0 in it. */
    record InFile(Path path, long offset) {}

    abstract InFile inFile(Carveout opened) throws Exception;

    /** Whether {@link #open()} makes the memory it maps (a new file, a memfd) rather than mapping memory that was there. */
    abstract boolean openMakesTheMemory();

    @Test
    void startedZeroed_onlyWhenTheOpenMadeTheMemory_whateverTheBytes() throws Exception {
        try (Carveout carveout = open()) {
            assertEquals(openMakesTheMemory(), carveout.startedZeroed());
            if (carveout.startedZeroed()) {
                assertTrue(Bytes.allZero(carveout.memory().toArray(JAVA_BYTE)));
            }
        }
    }

    @Test
    void memory_isExactlyTheRequestedSize() throws Exception {
        try (Carveout carveout = open()) {
            assertEquals(SIZE, carveout.memory().byteSize());
            assertEquals(SIZE, carveout.size());
            assertTrue(!carveout.memory().isReadOnly());
        }
    }

    @Test
    void physBase_isTheOneTheCarveoutSitsAt() throws Exception {
        try (Carveout carveout = open()) {
            assertEquals(expectedPhysBase(), carveout.physBase());
        }
    }

    @Test
    void describe_namesTheSpecTheSizeAndTheBase() throws Exception {
        try (Carveout carveout = open()) {
            assertEquals(expectedDescription(), carveout.describe());
        }
    }

    @Test
    void writtenBytes_reachTheBackingFileAtItsOffset() throws Exception {
        byte[] written = Bytes.pattern(SIZE, 1);
        try (Carveout carveout = open()) {
            Bytes.write(carveout.memory(), written);
            carveout.flush();
            InFile backing = inFile(carveout);
            assertArrayEquals(written, Bytes.read(backing.path(), backing.offset(), SIZE));
        }
    }

    @Test
    void store_putsTheBytesAtTheirOffset_inMemoryAndInTheBackingFile_andNothingElse() throws Exception {
        byte[] before = Bytes.pattern(SIZE, 3);
        byte[] stored = Bytes.pattern(Page.SIZE + 100, 4);
        long at = Page.SIZE - 50;
        byte[] expected = before.clone();
        System.arraycopy(stored, 0, expected, (int) at, stored.length);
        try (Carveout carveout = open(); Arena arena = Arena.ofConfined()) {
            Bytes.write(carveout.memory(), before);
            carveout.store(arena.allocateFrom(JAVA_BYTE, stored), at);
            carveout.flush();
            assertArrayEquals(expected, carveout.memory().toArray(JAVA_BYTE));
            InFile backing = inFile(carveout);
            assertArrayEquals(expected, Bytes.read(backing.path(), backing.offset(), SIZE));
        }
    }

    @Test
    void wipe_zeroesEveryByte_inMemoryAndInTheBackingFile() throws Exception {
        try (Carveout carveout = open()) {
            Bytes.write(carveout.memory(), Bytes.pattern(SIZE, 2));
            carveout.wipe();
            assertTrue(Bytes.allZero(carveout.memory().toArray(JAVA_BYTE)));
            InFile backing = inFile(carveout);
            byte[] onDisk = Bytes.read(backing.path(), backing.offset(), SIZE);
            assertEquals(SIZE, onDisk.length);
            assertTrue(Bytes.allZero(onDisk));
        }
    }

    @Test
    void close_unmapsTheMemory_andMayBeRepeated() throws Exception {
        Carveout carveout = open();
        carveout.close();
        assertThrows(IllegalStateException.class, () -> carveout.memory().get(JAVA_BYTE, 0));
        carveout.close();
    }
}
