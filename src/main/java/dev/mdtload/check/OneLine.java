package dev.mdtload.check;

/**
 * Every error mdtload prints is one line that scripts split on newlines. Messages quote names
 * from untrusted input (file names, device-tree node names, manifest values), so a control
 * character in one is shown as {@code \xNN} instead of breaking the line.
 */
public final class OneLine {
    private OneLine() {}

    public static String of(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }
}
