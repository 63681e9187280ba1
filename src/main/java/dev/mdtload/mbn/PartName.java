package dev.mdtload.mbn;

import java.nio.file.Path;

/**
 * How the parts of a split image are named, as the kernel names them: the image's file name
 * minus its last three characters, then {@code b} and the program-header index in two digits.
 */
public final class PartName {
    /** The kernel formats the index into a fixed-size name: from 100 on, it overflows. */
    public static final int MAX_INDEX = 99;

    private PartName() {}

    /**
     * The part of program header {@code index} beside {@code image}. Indices above {@link #MAX_INDEX}
     * get a three-digit name here, for messages only: no loader can ask for that file.
     */
    public static Path of(Path image, int index) {
        return image.resolveSibling(of(image.getFileName().toString(), index));
    }

    /** The part name for image (or firmware) name {@code name}: the same rule, on a string. */
    public static String of(String name, int index) {
        String base = name.length() >= 3 ? name.substring(0, name.length() - 3) : "";
        return base + String.format("b%02d", index);
    }
}
