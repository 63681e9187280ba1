package dev.mdtload.rproc;

/**
 * One remote processor as sysfs shows it at one moment.
 *
 * @param id       its directory, {@code remoteprocN}
 * @param recovery null on kernels without the attribute
 * @param coredump null on kernels without the attribute
 */
public record Remoteproc(String id, String name, RemoteprocState state, String firmware, String recovery,
                         String coredump) {
    /** {@code remoteproc0 (wpss)}, as messages name it. */
    public String label() {
        return id + " (" + name + ")";
    }
}
