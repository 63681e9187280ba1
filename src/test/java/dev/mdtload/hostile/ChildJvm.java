package dev.mdtload.hostile;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * mdtload as a process of its own, for what an in-process run cannot show: being killed, and a
 * small heap. At Surefire time the jar does not exist yet (it is packaged after the tests), so the
 * child runs the compiled classes on the test class path the build writes to
 * target/test-classpath.txt, with the JVM running the tests and the same native settings.
 */
final class ChildJvm {
    private static final Path HOME = Path.of(System.getProperty("mdtload.home", "."));

    private ChildJvm() {}

    /** What a finished child said. */
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /**
     * Starts {@code mdtload args} with {@code jvmOptions}, stdout and stderr going to files in
     * {@code logs} (a pipe nobody reads would stall a child that writes a lot).
     */
    static Process start(Path logs, List<String> jvmOptions, List<String> args) throws IOException {
        String classPath = HOME.resolve("target/classes") + File.pathSeparator
                + Files.readString(HOME.resolve("target/test-classpath.txt")).strip();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dmdtload.native.dir=" + System.getProperty("mdtload.native.dir", HOME.resolve("target/native").toString()));
        // short-lived children: C1 alone starts in half the time and still hashes at a few hundred MB/s;
        // one GC thread, as the machine's cores are shared with the test JVM
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "dev.mdtload.cli.Main"));
        command.addAll(args);
        Files.createDirectories(logs);
        return new ProcessBuilder(command)
                .redirectOutput(logs.resolve("stdout").toFile())
                .redirectError(logs.resolve("stderr").toFile())
                .start();
    }

    /** Runs to the end; a child still running after {@code timeout} is killed and reported. */
    static Result run(Path logs, Duration timeout, List<String> jvmOptions, List<String> args)
            throws IOException, InterruptedException {
        Process p = start(logs, jvmOptions, args);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("mdtload " + args + " still running after " + timeout);
        }
        return new Result(p.exitValue(), Files.readString(logs.resolve("stdout")), Files.readString(logs.resolve("stderr")));
    }
}
