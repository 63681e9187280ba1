package dev.mdtload.board;

import dev.mdtload.check.OneLine;

import java.io.IOException;

/**
 * A device tree (blob or live directory) that breaks the format or a limit, or whose carveouts and
 * processors cannot be read. The message is one line (see {@link OneLine}): the source, where in
 * it, and what is wrong.
 */
public final class DeviceTreeException extends IOException {
    public DeviceTreeException(String source, String where, String message) {
        super(OneLine.of(source + ": " + where + ": " + message));
    }
}
