package dev.mdtload.cli;

/** How numbers are shown to people: addresses in hex, sizes in decimal with a readable unit. */
final class Numbers {
    private Numbers() {}

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%d (%.1f %s)", bytes, v, units[u]);
    }
}
