package dev.mdtload.board;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** One property of a node: a name and raw big-endian bytes, as both the blob and the live tree store them. */
record Property(String name, byte[] value) {
    public Property {
        Objects.requireNonNull(name, "name");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** Byte {@code i} of the value, without copying it; for decoders. */
    byte at(int i) {
        return value[i];
    }

    // a record compares arrays by identity; two trees are equal when their bytes are
    @Override
    public boolean equals(Object o) {
        return o instanceof Property p && name.equals(p.name) && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + " = [" + HexFormat.ofDelimiter(" ").formatHex(value) + "]";
    }
}
