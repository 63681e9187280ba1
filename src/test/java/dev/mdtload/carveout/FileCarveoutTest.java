package dev.mdtload.carveout;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.address.Page;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.posix.PosixException;
import dev.mdtload.testing.FileBlocks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileCarveoutTest extends SharedCarveoutContract {
    private static final PhysAddr BASE = PhysAddr.of(0x9ae00000L);

    private Path file() {
        return root.resolve("carveout.bin");
    }

    private Carveout open(Carveouts.Base base, long size) throws Exception {
        return Carveouts.open(new CarveoutSpec.File(file()), new Carveouts.Request(base, size, root, ReservedMemory.NONE));
    }

    @Override
    Carveout open() throws Exception {
        return open(new Carveouts.Base.Given(BASE), SIZE);
    }

    @Override
    InFile inFile(Carveout opened) {
        return new InFile(file(), 0);
    }

    /** {@link #open()} creates the file: a missing one is made, sized with ftruncate. */
    @Override
    boolean openMakesTheMemory() {
        return true;
    }

    @Override
    Optional<PhysAddr> expectedPhysBase() {
        return Optional.of(BASE);
    }

    @Override
    String expectedDescription() {
        return "file:" + file() + ": 0x4000 bytes at phys 0x9ae00000";
    }

    @Override
    String lockedName() {
        return "file:" + file();
    }

    @Test
    void open_createsAMissingFile_sparse_atTheRequestedSize() throws Exception {
        long size = 64L << 20;
        try (Carveout carveout = open(new Carveouts.Base.Given(BASE), size)) {
            assertEquals(size, Files.size(file()));
            long allocated = FileBlocks.allocatedBytes(file());
            assertTrue(allocated < (1 << 20), "64 MiB file has " + allocated + " bytes allocated");
            assertEquals(size, carveout.size());
        }
    }

    @Test
    void open_ofAnExistingFileOfZeros_doesNotClaimItStartedZeroed() throws Exception {
        // only reading every byte would tell, which costs what the zero fill it would spare costs
        Files.write(file(), new byte[(int) SIZE]);
        try (Carveout carveout = open()) {
            assertFalse(carveout.startedZeroed());
        }
    }

    @Test
    void open_keepsAnExistingFilesBytes_andMapsOnlyItsFirstSizeBytes() throws Exception {
        byte[] existing = Bytes.pattern(SIZE + Page.SIZE, 4);
        Files.write(file(), existing);
        byte[] written = Bytes.pattern(SIZE, 5);
        try (Carveout carveout = open()) {
            assertArrayEquals(Arrays.copyOf(existing, (int) SIZE), carveout.memory().toArray(JAVA_BYTE));
            Bytes.write(carveout.memory(), written);
            carveout.flush();
        }
        byte[] after = Files.readAllBytes(file());
        assertEquals(existing.length, after.length, "the file is never truncated");
        assertArrayEquals(written, Arrays.copyOf(after, (int) SIZE));
        assertArrayEquals(Arrays.copyOfRange(existing, (int) SIZE, existing.length), Arrays.copyOfRange(after, (int) SIZE, after.length));
    }

    /**
     * store writes a file carveout through the file, but still reads its source by Java's copy: a
     * source mapped from a file cut short faults as InternalError (which load reports as a part
     * that changed), not as a write error the kernel would make of it.
     */
    @Test
    void store_fromAMappedFileCutShort_raisesTheFaultAsInternalError() throws Exception {
        Path source = Files.write(root.resolve("shrinking.bin"), new byte[(int) SIZE]);
        try (Carveout carveout = open(); Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, SIZE, arena);
            try (FileChannel shrink = FileChannel.open(source, StandardOpenOption.WRITE)) {
                shrink.truncate(0);
            }
            assertThrows(InternalError.class, () -> carveout.store(mapped, 0));
        }
    }

    @Test
    void open_refusesAnExistingFileShorterThanTheCarveout() throws Exception {
        Files.write(file(), new byte[4096]);
        IOException e = assertThrows(IOException.class, this::open);
        assertEquals(file() + " is 4096 bytes, too short for the carveout's bytes 0x0..0x4000", e.getMessage());
    }

    @Test
    void locate_isTheFileFromByteZero_atTheGivenBase_andNeedsOne() throws Exception {
        CarveoutSpec.File spec = new CarveoutSpec.File(file());
        assertEquals(new Carveouts.Location(BASE, SIZE, file(), 0),
                Carveouts.locate(spec, new Carveouts.Request(new Carveouts.Base.Given(BASE), SIZE, root, ReservedMemory.NONE)));
        UsageFailure e = assertThrows(UsageFailure.class, () -> Carveouts.locate(spec,
                new Carveouts.Request(new Carveouts.Base.Own(), SIZE, root, ReservedMemory.NONE)));
        assertEquals("carveout " + spec + " stands for memory at no physical address: give one", e.getMessage());
    }

    @Test
    void open_withoutAPhysicalBase_hasNone() throws Exception {
        try (Carveout carveout = open(new Carveouts.Base.Own(), SIZE)) {
            assertEquals(Optional.empty(), carveout.physBase());
            assertEquals("file:" + file() + ": 0x4000 bytes with no physical address", carveout.describe());
        }
    }

    @Test
    void open_inAMissingDirectory_failsWithEnoentNamingThePath() {
        Path missing = root.resolve("no/such/dir/carveout.bin");
        PosixException e = assertThrows(PosixException.class, () -> Carveouts.open(new CarveoutSpec.File(missing),
                new Carveouts.Request(new Carveouts.Base.Given(BASE), SIZE, root, ReservedMemory.NONE)));
        assertEquals("open(" + missing + ") failed: ENOENT (No such file or directory)", e.getMessage());
    }
}
