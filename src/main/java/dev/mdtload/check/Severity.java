package dev.mdtload.check;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What breaking a rule means for the verdict. An error makes an image invalid (exit 1); a warning
 * is listed with its rule id but leaves the image valid, unless {@code --strict} asks otherwise.
 */
public enum Severity {
    /** The kernel or the secure world would refuse the image, or reading it is unsafe or unbounded for mdtload. */
    ERROR("error"),
    /** Unusual, but the device loads the image. */
    WARNING("warning");

    private final String id;

    Severity(String id) {
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
