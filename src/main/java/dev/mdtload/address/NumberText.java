package dev.mdtload.address;

import java.util.Locale;

/**
 * Numbers as people write addresses and sizes: decimal or 0x hex, a decimal size optionally with
 * K/M/G (binary). One reading for the command line and for a manifest's IOMMU windows, so a window
 * means the same bytes wherever it is written.
 */
public final class NumberText {
    private NumberText() {}

    /** @throws IllegalArgumentException not a number, negative, or above 2^63 */
    public static long parse(String text) {
        String t = text.strip().replace("_", "").toLowerCase(Locale.ROOT);
        long scale = 1;
        if (!t.startsWith("0x") && !t.isEmpty()) {
            char unit = t.charAt(t.length() - 1);
            scale = switch (unit) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1;
            };
            if (scale != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        long v;
        try {
            v = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw notANumber(text);
        }
        if (v < 0) {
            throw new IllegalArgumentException("'" + text + "' is negative or above 2^63");
        }
        try {
            return Math.multiplyExact(v, scale);
        } catch (ArithmeticException e) {
            throw notANumber(text);
        }
    }

    private static IllegalArgumentException notANumber(String text) {
        return new IllegalArgumentException("'" + text + "' is not a number (decimal, 0x hex, or with K/M/G)");
    }
}
