package dev.mdtload.board;

import java.io.IOException;

/**
 * A device tree (blob or live directory) that breaks the format or a limit, or whose carveouts and
 * processors cannot be read. The message is one line: the source, where in it, and what is wrong.
 */
public final class DeviceTreeException extends IOException {
    public DeviceTreeException(String source, String where, String message) {
        super(oneLine(source + ": " + where + ": " + message));
    }

    /**
     * Names and paths quoted in a message come from the blob itself; a control byte in one must
     * not split the line a script reads, so every such byte is shown as {@code \xNN}.
     */
    private static String oneLine(String text) {
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
