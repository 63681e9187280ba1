package dev.mdtload.rproc;

import com.fasterxml.jackson.annotation.JsonValue;

import java.io.IOException;
import java.util.Locale;

/** What {@code state} reads, as the kernel's rproc_state_string() spells it. */
public enum RemoteprocState {
    OFFLINE, SUSPENDED, RUNNING, CRASHED, DELETED, ATTACHED, DETACHED, INVALID;

    /** The word in sysfs. */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Running as far as {@code stop} is concerned: booted by Linux, or attached to one booted before it. */
    public boolean isUp() {
        return this == RUNNING || this == ATTACHED;
    }

    static RemoteprocState parse(String processor, String word) throws IOException {
        for (RemoteprocState s : values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        throw new IOException(processor + ": unknown remoteproc state '" + word + "'");
    }

    @Override
    public String toString() {
        return word();
    }
}
