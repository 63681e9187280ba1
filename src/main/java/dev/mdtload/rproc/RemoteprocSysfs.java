package dev.mdtload.rproc;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Access to {@code /sys/class/remoteproc}. Behind an interface because plain files cannot answer a
 * write with EBUSY as the kernel does: {@link FileSysfs} talks to the real files,
 * {@link SimulatedSysfs} keeps the kernel's state machine over files of a fake board.
 */
public interface RemoteprocSysfs {
    /** The {@code remoteprocN} directory names, by N. */
    List<String> processors() throws IOException;

    /** The attribute's value without its trailing newline; empty when the kernel has no such attribute. */
    Optional<String> read(String processor, Attribute attribute) throws IOException;

    /** Writes {@code value}; a refusal is a {@link SysfsException} carrying the kernel's errno. */
    void write(String processor, Attribute attribute, String value) throws IOException;
}
