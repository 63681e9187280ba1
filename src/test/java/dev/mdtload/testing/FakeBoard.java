package dev.mdtload.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The shipped fake board and the real firmware, for tests that must not change either: copies, and fingerprints of trees. */
public final class FakeBoard {
    private FakeBoard() {}

    public static final Path SAMPLES = Path.of(System.getProperty("mdtload.samples", "firmware-samples"));
    public static final Path ROOT = SAMPLES.resolve("board/root");
    public static final Path DTB = SAMPLES.resolve("board/board.dtb");
    public static final Path FIRMWARE = Path.of(System.getProperty("mdtload.shared", "../shared")).resolve("firmware");

    /** A writable copy of the fake board's root under {@code dir}. */
    public static Path copy(Path dir) {
        Path root = dir.resolve("root");
        copyTree(ROOT, root);
        return root;
    }

    public static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file and directory under {@code dir} with the SHA-256 of each file's bytes: equal maps, nothing written. */
    public static Map<String, String> fingerprint(Path dir) {
        return fingerprint(dir, Set.of());
    }

    /** {@link #fingerprint(Path)} without the files named in {@code skipped} (relative to {@code dir}). */
    public static Map<String, String> fingerprint(Path dir, Set<String> skipped) {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String key = dir.relativize(p).toString();
                if (skipped.contains(key)) {
                    continue;
                }
                all.put(key, Files.isDirectory(p) ? "dir" : HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
        return all;
    }
}
