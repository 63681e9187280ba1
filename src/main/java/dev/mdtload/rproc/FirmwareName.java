package dev.mdtload.rproc;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.mbn.PartName;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A name for the remoteproc {@code firmware} attribute: a path relative to the firmware search
 * path ({@code ath11k/WCN6750/hw1.0/wpss.mdt}). Only names that stay inside the search path
 * exist: no empty, absolute or over-long name, no {@code ..}, {@code .} or empty component, no
 * control character (a newline would end the value the kernel reads).
 */
public record FirmwareName(String value) {
    static final int MAX_LENGTH = 255;

    public FirmwareName {
        Objects.requireNonNull(value, "value");
    }

    public static FirmwareName of(String value) throws UsageFailure {
        if (value == null || value.isEmpty()) {
            throw new UsageFailure("firmware name is empty");
        }
        String quoted = "firmware name '" + value.replaceAll("\\p{Cntrl}", "?") + "'";
        if (value.length() > MAX_LENGTH) {
            throw new UsageFailure(quoted + " is longer than " + MAX_LENGTH + " characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new UsageFailure(quoted + " contains a control character");
        }
        if (value.startsWith("/")) {
            throw new UsageFailure(quoted + " is absolute: names are relative to the firmware search path");
        }
        for (String component : value.split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                throw new UsageFailure(quoted + " has a '" + component
                        + "' component: a name must stay inside the firmware search path");
            }
        }
        return new FirmwareName(value);
    }

    /**
     * The name of part {@code index} of a split image loaded under this name: the kernel drops the
     * last three characters and appends {@code bNN} (mdt_loader.c).
     */
    public FirmwareName part(int index) throws UsageFailure {
        if (fileName().length() <= 3) {
            throw new UsageFailure("firmware name '" + value + "' is too short to derive .bNN part names from");
        }
        return of(PartName.of(value, index));
    }

    /** The last component. */
    public String fileName() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    /** The file this name denotes in {@code directory}. */
    public Path in(Path directory) {
        return directory.resolve(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
