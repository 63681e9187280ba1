package dev.mdtload.cli;

import dev.mdtload.failure.UsageFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A file a command writes, as its command line names it. {@code -} is stdout: the command writes a
 * private temporary file as it would any output (validated first, complete or not at all), and
 * only the finished bytes are copied to stdout, so a refused run leaves nothing half-written there
 * either. Its report then goes to stderr, leaving stdout to the file's bytes.
 */
sealed interface Output extends AutoCloseable {
    String STDOUT = "-";

    /** Where the command writes: the named file, or the temporary one. */
    Path path();

    /** Once the file is complete: copies it to stdout when that is where it goes. */
    void finish() throws IOException;

    /** Where the command's report goes: stdout, unless the file's bytes are going there. */
    PrintWriter report(PrintWriter out, PrintWriter err);

    @Override
    void close() throws IOException;

    /** A file of the given name, or stdout for {@code -}; refused when it is one of {@code inputs}. */
    static Output of(Path named, List<Path> inputs) throws IOException, UsageFailure {
        if (named.toString().equals(STDOUT)) {
            return new Stdout(Files.createTempDirectory("mdtload-stdout-").resolve("out"));
        }
        requireNotInput(named, inputs);
        return new File(named);
    }

    /**
     * Refuses {@code output} when it is one of {@code inputs}, by file identity: a symlink or a hard
     * link to an input is that input, and writing it would destroy what is being read.
     */
    static void requireNotInput(Path output, List<Path> inputs) throws IOException, UsageFailure {
        if (!Files.exists(output)) {
            return;
        }
        for (Path input : inputs) {
            if (Files.exists(input) && Files.isSameFile(output, input)) {
                throw new UsageFailure(output + " is the input " + input + ": an output must not overwrite what it is made from");
            }
        }
    }

    /** An image's files: the image itself and the {@code .bNN} parts beside it that a split image is read from. */
    static List<Path> imageFiles(Path image) throws IOException {
        List<Path> files = new ArrayList<>(List.of(image));
        String name = String.valueOf(image.getFileName());
        int dot = name.lastIndexOf('.');
        Path dir = image.toAbsolutePath().getParent();
        if (dot > 0 && dir != null && Files.isDirectory(dir)) {
            Pattern part = Pattern.compile(Pattern.quote(name.substring(0, dot)) + "\\.b[0-9]{2,}");
            try (Stream<Path> siblings = Files.list(dir)) {
                siblings.filter(p -> part.matcher(p.getFileName().toString()).matches()).forEach(files::add);
            }
        }
        return files;
    }

    record File(Path path) implements Output {
        @Override
        public void finish() {
            // written in place by the command
        }

        @Override
        public PrintWriter report(PrintWriter out, PrintWriter err) {
            return out;
        }

        @Override
        public void close() {
            // nothing of ours to remove
        }
    }

    record Stdout(Path path) implements Output {
        @Override
        public void finish() throws IOException {
            OutputStream stdout = System.out;
            Files.copy(path, stdout);
            stdout.flush();
        }

        @Override
        public PrintWriter report(PrintWriter out, PrintWriter err) {
            return err;
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.getParent());
        }
    }
}
