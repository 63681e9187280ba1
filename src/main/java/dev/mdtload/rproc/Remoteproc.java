package dev.mdtload.rproc;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * One remote processor as sysfs shows it at one moment.
 *
 * @param id       its directory, {@code remoteprocN}
 * @param recovery absent on kernels without the attribute
 * @param coredump absent on kernels without the attribute
 */
public record Remoteproc(String id, String name, RemoteprocState state, String firmware, Setting recovery,
                         Setting coredump) {
    public Remoteproc {
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(coredump, "coredump");
    }

    /** {@code remoteproc0 (wpss)}, as messages name it. */
    public String label() {
        return id + " (" + name + ")";
    }

    /** An attribute older kernels do not have: its value, or its absence. */
    public sealed interface Setting {}

    /** The attribute's value; the JSON gives it as a string. */
    public record Value(@JsonValue String value) implements Setting {
        public Value {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The kernel has no such attribute; the JSON gives null, as it always has. */
    public record Absent() implements Setting {
        @JsonValue
        public Object json() {
            return null;
        }
    }
}
