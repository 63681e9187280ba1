package dev.mdtload.carveout;

import dev.mdtload.address.PhysAddr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI memory BAR as sysfs publishes it. {@code /sys/bus/pci/devices/DEV/resourceN} (and its
 * write-combining twin {@code resourceN_wc}) maps BAR N from its first byte, so offset 0 of that
 * file is the BAR's physical start, which line N of the device's {@code resource} file gives
 * (the kernel prints each line as start, end and flags, {@code 0x%016llx}).
 */
record PciBar(Path file, int index, PhysAddr start, long size) {
    private static final Pattern BAR_FILE = Pattern.compile("resource([0-5])(_wc)?");
    private static final Pattern LINE = Pattern.compile("0x([0-9a-fA-F]{1,16}) 0x([0-9a-fA-F]{1,16}) 0x[0-9a-fA-F]{1,16}");

    /** The BAR {@code file} maps, when it is a device's resourceN file: named so, beside a {@code resource} table. */
    static Optional<PciBar> of(Path file) throws IOException {
        Path name = file.getFileName();
        Matcher bar = BAR_FILE.matcher(name == null ? "" : name.toString());
        Path table = file.resolveSibling("resource");
        if (!bar.matches() || !Files.isRegularFile(table)) {
            return Optional.empty();
        }
        int index = Integer.parseInt(bar.group(1));
        List<String> lines = Files.readAllLines(table);
        String line = index < lines.size() ? lines.get(index).strip() : "";
        Matcher range = LINE.matcher(line);
        if (!range.matches()) {
            throw new IOException(String.format("%s: line %d (BAR %d) is '%s', not 'START END FLAGS' in hex",
                    table, index + 1, index, line));
        }
        long start = Long.parseUnsignedLong(range.group(1), 16);
        long end = Long.parseUnsignedLong(range.group(2), 16);
        long size = end - start + 1;
        // an unassigned BAR reads as all zeros; a size that is not positive cannot be a BAR
        if (end == 0 || Long.compareUnsigned(end, start) < 0 || size <= 0) {
            throw new IOException(String.format("%s: BAR %d of %s has no memory assigned (%s line %d: %s)",
                    file, index, file.getParent(), table.getFileName(), index + 1, line));
        }
        return Optional.of(new PciBar(file, index, PhysAddr.of(start), size));
    }

    String describe() {
        return String.format("PCI BAR %d (%s)", index, file);
    }
}
