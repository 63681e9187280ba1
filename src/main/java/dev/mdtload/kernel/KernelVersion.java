package dev.mdtload.kernel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux kernel release as major.minor.patch: {@code 6.1.192}, or the leading numbers of a
 * {@code uname -r} such as {@code 6.12.95+deb12-arm64}. Debian's ABI names ({@code 6.1.0-57-arm64})
 * hide the stable point release behind {@code .0}; pass the upstream version to --kernel there.
 */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {
    private static final Pattern LEADING = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:[^\\d.].*)?");

    public KernelVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative kernel version part");
        }
    }

    /** Parses the leading {@code MAJOR.MINOR[.PATCH]}; anything after it (a local version) is ignored. */
    public static KernelVersion parse(String text) {
        Matcher m = LEADING.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a kernel version (MAJOR.MINOR[.PATCH]): " + text);
        }
        try {
            return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kernel version part too large: " + text, e);
        }
    }

    /** Whether both are releases of one stable series (6.1.x and 6.1.y). */
    public boolean sameSeries(KernelVersion other) {
        return major == other.major && minor == other.minor;
    }

    @Override
    public int compareTo(KernelVersion o) {
        int c = Integer.compare(major, o.major);
        c = c != 0 ? c : Integer.compare(minor, o.minor);
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    /** {@code 6.12} for a series' first release, {@code 6.1.192} for a stable point release. */
    @Override
    public String toString() {
        return patch == 0 ? major + "." + minor : major + "." + minor + "." + patch;
    }
}
