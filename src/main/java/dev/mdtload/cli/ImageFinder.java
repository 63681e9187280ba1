package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import dev.mdtload.mbn.PartName;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Expands command-line paths into images: files as given, directories searched recursively for
 * {@code .mdt} and {@code .mbn}. A {@code .mdt} that is a link to a {@code .mbn} (as linux-firmware
 * ships venus) is the same image and is counted once, under the real file's name.
 */
final class ImageFinder {
    private ImageFinder() {}

    /** The images found, and the paths given that name nothing (each its own usage failure, so the others still get a verdict). */
    record Found(List<Path> images, List<UsageFailure> missing) {}

    static Found find(List<Path> paths) throws IOException {
        Map<Object, Path> byIdentity = new LinkedHashMap<>();
        List<UsageFailure> missing = new ArrayList<>();
        for (Path p : paths) {
            // a link is passed on even when it leads nowhere: the image reader tells a loop from a missing file
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                missing.add(new UsageFailure(p + ": no such file or directory"));
                continue;
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : walk.filter(ImageFinder::isImageName).sorted().toList()) {
                        add(byIdentity, f);
                    }
                }
            } else {
                add(byIdentity, p);
            }
        }
        return new Found(new ArrayList<>(byIdentity.values()), missing);
    }

    /**
     * The bytes of an image's files: a .mbn's own, a .mdt's with its parts' (NAME.bNN beside it,
     * one directory read). Only for scheduling the biggest first, so what cannot be measured counts as empty.
     */
    static long bytesOnDisk(Path image) {
        String name = image.getFileName().toString();
        long bytes = sizeOrZero(image);
        if (name.toLowerCase(Locale.ROOT).endsWith(".mdt") && image.getParent() != null) {
            String first = PartName.of(name, 0);
            String stem = first.substring(0, first.length() - "b00".length());
            DirectoryStream.Filter<Path> isPart = p -> {
                String n = p.getFileName().toString();
                return n.startsWith(stem) && n.substring(stem.length()).matches("b[0-9][0-9]");
            };
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(image.getParent(), isPart)) {
                for (Path part : parts) {
                    bytes += sizeOrZero(part);
                }
            } catch (IOException | DirectoryIteratorException unreadable) {
                // the parts are counted as empty; validate reports them
            }
        }
        return bytes;
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean isImageName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return (name.endsWith(".mdt") || name.endsWith(".mbn")) && !Files.isDirectory(p);
    }

    private static void add(Map<Object, Path> byIdentity, Path file) {
        Object key;
        try {
            key = file.toRealPath();
        } catch (IOException unresolvable) {
            // a dangling or looping link is still reported, as an image of its own
            key = file.toAbsolutePath().normalize();
        }
        Path known = byIdentity.get(key);
        if (known == null || (Files.isSymbolicLink(known) && !Files.isSymbolicLink(file))) {
            byIdentity.put(key, file);
        }
    }
}
