package dev.mdtload.check;

/**
 * The bound on hashing: every distinct file range is hashed once, and all of them together may
 * not exceed {@link #FACTOR} times the bytes of the image's files. Real firmware hashes each byte
 * once, or twice where a PT_NOTE or PT_DYNAMIC header repeats bytes of a PT_LOAD segment.
 */
public final class HashWork {
    /** How many times over the input's bytes hashing may read. */
    public static final int FACTOR = 4;

    private HashWork() {}

    /** The most bytes an image of {@code inputBytes} bytes (image file and parts) may have hashed. */
    public static long budget(long inputBytes) {
        return inputBytes > Long.MAX_VALUE / FACTOR ? Long.MAX_VALUE : inputBytes * FACTOR;
    }
}
