package dev.mdtload.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares two directory trees entry by entry without following links: regular files by their
 * bytes, links by their target text (a link loop is a link like any other), directories by being
 * there.
 */
final class TreeDiff {
    private TreeDiff() {}

    private enum Kind {
        FILE("a file"), DIRECTORY("a directory"), LINK("a symbolic link"), OTHER("a special file");

        final String article;

        Kind(String article) {
            this.article = article;
        }
    }

    private record Entry(Path path, Kind kind) {}

    /**
     * Differences of {@code actual} from {@code expected}, over the top-level {@code entries} of each
     * (other files in the directories are not compared), sorted by path.
     */
    static List<Difference> compare(Path expected, Path actual, List<String> entries) throws IOException {
        SortedMap<String, Entry> want = scan(expected, entries);
        SortedMap<String, Entry> have = scan(actual, entries);
        TreeSet<String> all = new TreeSet<>(want.keySet());
        all.addAll(have.keySet());
        List<Difference> differences = new ArrayList<>();
        // below a directory that is missing, extra or of another kind, every entry would differ too
        List<String> reportedTrees = new ArrayList<>();
        for (String name : all) {
            if (reportedTrees.stream().anyMatch(tree -> name.startsWith(tree + "/"))) {
                continue;
            }
            String problem = problem(want.get(name), have.get(name));
            if (problem != null) {
                differences.add(new Difference(actual.resolve(name).toString(), problem));
                reportedTrees.add(name);
            }
        }
        return differences;
    }

    private static String problem(Entry want, Entry have) throws IOException {
        if (have == null) {
            return "missing (the generator writes " + want.kind.article + ")";
        }
        if (want == null) {
            return "not written by the generator";
        }
        if (want.kind != have.kind) {
            return "is " + have.kind.article + ", the generator writes " + want.kind.article;
        }
        return switch (want.kind) {
            case FILE -> {
                long at = Files.mismatch(want.path, have.path);
                yield at == -1 ? null : "differs from what the generator writes, first at byte " + at;
            }
            case LINK -> {
                Path w = Files.readSymbolicLink(want.path);
                Path h = Files.readSymbolicLink(have.path);
                yield w.equals(h) ? null : "links to " + h + ", the generator links to " + w;
            }
            case DIRECTORY, OTHER -> null;
        };
    }

    private static SortedMap<String, Entry> scan(Path root, List<String> entries) throws IOException {
        SortedMap<String, Entry> found = new TreeMap<>();
        for (String top : entries) {
            Path start = root.resolve(top);
            if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(start)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String name = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                    found.put(name, new Entry(p, kind(p)));
                }
            }
        }
        return found;
    }

    private static Kind kind(Path p) {
        if (Files.isSymbolicLink(p)) {
            return Kind.LINK;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return Kind.DIRECTORY;
        }
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Kind.FILE : Kind.OTHER;
    }
}
