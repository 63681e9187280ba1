package dev.mdtload.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real images in {@code ../shared/firmware}, with the facts its README.md lists for each
 * (checked there with an independent reader). Tests take expected values from here, never from
 * the code under test.
 */
public enum RealImage {
    M3_FW("ath11k/IPQ8074/hw2.0/m3_fw.mdt", 3, 5, "SHA-256", 327680, 327680, 0x4b000000L, false, 0, 0,
            List.of(0, 1, 2)),
    Q6_FW("ath11k/IPQ8074/hw2.0/q6_fw.mdt", 9, 5, "SHA-256", 8364032, 8364032, 0x4b100000L, false, 0, 0,
            List.of(0, 1, 2, 3, 4, 5, 7, 8)),
    WPSS("ath11k/WCN6750/hw1.0/wpss.mdt", 9, 6, "SHA-384", 26214400, 26214400, 0x9ae00000L, false, 104, 6144,
            List.of(0, 1, 2, 3, 4, 5, 6, 7, 8)),
    VENUS("qcom/venus-5.2/venus.mbn", 5, 3, "SHA-256", 5238816, 5242880, 0x0f500000L, true, 256, 6144, List.of()),
    A650_ZAP("qcom/sm8250/a650_zap.mbn", 3, 6, "SHA-384", 1676, 4096, 0x5000L, true, 256, 6144, List.of()),
    MBA("qcom/apq8096/mba.mbn", 6, 3, "SHA-256", 299904, 303104, 0x81000000L, false, 256, 6144, List.of());

    /** The README's "phdrs" column; every image is ELF32. */
    public final String relative;
    public final int phnum;
    public final int mbnVersion;
    public final String digestAlgorithm;
    public final long span;
    public final long loadSize;
    public final long minAddress;
    public final boolean relocatable;
    public final long signatureSize;
    public final long certChainSize;
    /** Indices of the {@code .bNN} files that exist beside a split image (empty: a single file). */
    public final List<Integer> parts;

    RealImage(String relative, int phnum, int mbnVersion, String digestAlgorithm, long span, long loadSize,
              long minAddress, boolean relocatable, long signatureSize, long certChainSize, List<Integer> parts) {
        this.relative = relative;
        this.phnum = phnum;
        this.mbnVersion = mbnVersion;
        this.digestAlgorithm = digestAlgorithm;
        this.span = span;
        this.loadSize = loadSize;
        this.minAddress = minAddress;
        this.relocatable = relocatable;
        this.signatureSize = signatureSize;
        this.certChainSize = certChainSize;
        this.parts = parts;
    }

    /** {@code ../shared} as surefire and {@code make bench} pass it; relative to the project otherwise. */
    public static Path shared() {
        return Path.of(System.getProperty("mdtload.shared", "../shared"));
    }

    public static Path firmwareDirectory() {
        return shared().resolve("firmware");
    }

    public boolean split() {
        return !parts.isEmpty();
    }

    public Path path() {
        return firmwareDirectory().resolve(relative);
    }

    public String fileName() {
        return path().getFileName().toString();
    }

    /** {@code <name minus 3 chars>bNN}, as the README (and the kernel) name parts. */
    public Path part(int index) {
        String name = fileName();
        return path().resolveSibling(name.substring(0, name.length() - 3) + String.format("b%02d", index));
    }

    /** The headers of the image file, read by the tests' own reader. */
    public RawElf raw() throws IOException {
        return RawElf.read(path());
    }

    /**
     * The p_filesz bytes of segment {@code index} where the README says they are: the segment's
     * {@code .bNN} part for a split image, the slice at p_offset of the single file otherwise.
     */
    public byte[] segmentBytes(int index) throws IOException {
        RawElf elf = raw();
        RawElf.Phdr p = elf.phdrs().get(index);
        if (split()) {
            return p.filesz() == 0 ? new byte[0] : Files.readAllBytes(part(index));
        }
        return java.util.Arrays.copyOfRange(elf.bytes(), (int) p.offset(), (int) p.end());
    }

    /** The image file and all its parts. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(path());
        parts.forEach(i -> files.add(part(i)));
        return files;
    }

    /**
     * Copies every real image, with its parts, into {@code directory} under its path relative to
     * the firmware directory, and adds {@code qcom/venus-5.2/venus.mdt} as a symlink to
     * {@code venus.mbn}, as linux-firmware ships it (../shared cannot carry a symlink). Returns
     * {@code directory}, a firmware tree like the real one whatever ../shared holds beside the images.
     */
    public static Path firmwareTree(Path directory) throws IOException {
        for (RealImage image : values()) {
            image.copyTo(directory.resolve(image.relative).getParent());
        }
        Files.createSymbolicLink(directory.resolve(VENUS.relative).resolveSibling("venus.mdt"), Path.of(VENUS.fileName()));
        return directory;
    }

    /**
     * Copies the image and its parts (only those) into {@code directory}, which may be on any file
     * system, and returns the copy of the image. The copies are writable.
     */
    public Path copyTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (Path f : files()) {
            Files.write(directory.resolve(f.getFileName().toString()), Files.readAllBytes(f));
        }
        return directory.resolve(fileName());
    }
}
