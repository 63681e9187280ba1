package dev.mdtload.board;

import dev.mdtload.check.OneLine;
import dev.mdtload.failure.InvalidInput;

/**
 * A device tree (blob or live directory) that breaks the format or a limit, or whose carveouts and
 * processors cannot be read. The message is one line (see {@link OneLine}): the source, where in
 * it, and what is wrong.
 */
public final class DeviceTreeException extends InvalidInput {
    public DeviceTreeException(String source, String where, String message) {
        super("device-tree-invalid", OneLine.of(source + ": " + where + ": " + message));
    }
}
