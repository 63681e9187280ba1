package dev.mdtload.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How much of a file the file system holds blocks for: what tells a hole from written zeros. */
public final class FileBlocks {
    private FileBlocks() {}

    /** st_blocks * 512, from stat(1): Java has no portable way to ask how much of a file is allocated. */
    public static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assumeTrue(stat.waitFor() == 0, "stat(1) failed: " + out);
        String[] blocksAndUnit = out.split(" ");
        return Long.parseLong(blocksAndUnit[0]) * Long.parseLong(blocksAndUnit[1]);
    }
}
