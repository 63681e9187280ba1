package dev.mdtload.address;

/**
 * The 4 KiB page, the unit the kernel's loader (SZ_4K), the secure world (metadata buffers, its
 * memory protection) and carveouts all work in, whatever page size the CPU's MMU uses.
 */
public final class Page {
    public static final long SIZE = 4096;

    private Page() {}

    /**
     * {@code value} rounded up to the next 4 KiB, as the kernel's ALIGN(…, SZ_4K).
     *
     * @throws ArithmeticException the rounded value would pass {@link Long#MAX_VALUE}
     */
    public static long alignUp(long value) {
        return Math.addExact(value, SIZE - 1) & -SIZE;
    }
}
