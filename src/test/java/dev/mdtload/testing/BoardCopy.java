package dev.mdtload.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A writable copy of the fake board with a sparse file standing in for {@code /dev/mem}, where
 * {@code reserved:} carveouts are mapped at their physical addresses; and ways to look at it.
 */
public final class BoardCopy {
    private BoardCopy() {}

    /** Past the highest carveout's end (wpss@9ae00000 + 0x1900000 = 0x9c700000, board.dts). */
    public static final long DEV_MEM_SIZE = 0xa0000000L;
    public static final String DEV_MEM = "dev/mem";

    /** The fixed carveouts of board.dts's /reserved-memory, base and size. */
    public record Region(String name, long base, long size) {}

    public static final Region M3 = new Region("m3", 0x4b000000L, 0x100000);
    public static final Region Q6 = new Region("q6", 0x4b100000L, 0x800000);
    public static final Region SMEM = new Region("smem", 0x80900000L, 0x200000);
    public static final Region VENUS = new Region("venus", 0x8b200000L, 0x500000);
    public static final Region WPSS = new Region("wpss", 0x9ae00000L, 0x1900000);
    public static final Region ADSP = new Region("adsp", 0x86700000L, 0x2800000);
    public static final List<Region> REGIONS = List.of(M3, Q6, SMEM, VENUS, WPSS, ADSP);

    /** {@code dir/root}: the fake board's root and {@code dev/mem}, all zeros, taking no disk. */
    public static Path create(Path dir) {
        Path root = FakeBoard.copy(dir);
        try {
            Files.createDirectories(root.resolve("dev"));
            try (RandomAccessFile f = new RandomAccessFile(root.resolve(DEV_MEM).toFile(), "rw")) {
                f.setLength(DEV_MEM_SIZE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /** {@code length} bytes of physical memory from {@code phys}. */
    public static byte[] memory(Path root, long phys, int length) throws IOException {
        try (FileChannel mem = FileChannel.open(root.resolve(DEV_MEM), StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(length);
            while (bytes.hasRemaining() && mem.read(bytes, phys + bytes.position()) >= 0) {
                // read until full: a positional read may return fewer bytes
            }
            return bytes.array();
        }
    }

    /** The offset of the first byte in {@code region} that is not zero, or -1. */
    public static long firstNonZero(Path root, Region region) throws IOException {
        byte[] bytes = memory(root, region.base(), Math.toIntExact(region.size()));
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Every file under the root with its SHA-256, except {@code dev/mem}, whose size and carveout
     * bytes are checksummed instead (hashing its 2.5 GiB of holes would take seconds; CRC32C finds
     * any stray write and runs at memory speed): equal snapshots mean nothing was written, neither
     * a file nor a carveout.
     */
    public static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> all = new TreeMap<>(FakeBoard.fingerprint(root, Set.of(DEV_MEM)));
        all.put(DEV_MEM, Long.toString(Files.size(root.resolve(DEV_MEM))));
        for (Region r : REGIONS) {
            CRC32C crc = new CRC32C();
            crc.update(memory(root, r.base(), Math.toIntExact(r.size())));
            all.put(DEV_MEM + "@" + r.name(), Long.toHexString(crc.getValue()));
        }
        return all;
    }
}
