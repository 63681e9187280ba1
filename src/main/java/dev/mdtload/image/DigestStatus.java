package dev.mdtload.image;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the digest table says about one segment's bytes. */
public enum DigestStatus {
    /** The bytes hash to the table entry. */
    OK("ok"),
    /** They do not. */
    MISMATCH("mismatch"),
    /** The entry is all zeros, as it must be for the hash segment and segments without file bytes. */
    ZERO("zero"),
    /** Nothing to compare: no hash segment, or the segment's bytes could not be read. */
    MISSING("missing");

    private final String id;

    DigestStatus(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
