package dev.mdtload.rproc;

/** The files of {@code /sys/class/remoteproc/remoteprocN/} that mdtload reads or writes. */
public enum Attribute {
    /** Read-only: the processor's name ("wpss", "adsp"). */
    NAME("name"),
    /** offline, running, crashed, ...; writing "start" boots, "stop" shuts down. */
    STATE("state"),
    /** The image name relative to the firmware search path; writable only while offline. */
    FIRMWARE("firmware"),
    /** enabled / disabled; writing "recover" restarts a crashed processor. */
    RECOVERY("recovery"),
    /** disabled / enabled / inline. */
    COREDUMP("coredump");

    private final String file;

    Attribute(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }
}
