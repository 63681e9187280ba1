package dev.mdtload.address;

import java.util.Objects;

/** A bus master whose view of memory a {@link DmaAddr} is relative to, named as in the device tree or sysfs. */
public record Device(String name) {
    public Device {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.contains(":")) {
            throw new IllegalArgumentException("device name (" + name + ") must be non-empty and contain no ':'");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
