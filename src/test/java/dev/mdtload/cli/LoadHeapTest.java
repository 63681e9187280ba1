package dev.mdtload.cli;

import dev.mdtload.testing.ExpectedCarveout;
import dev.mdtload.testing.LargeImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4: "loading a 100 MB image works with -Xmx32m". The loader runs as its own process
 * through bin/mdtload, so its heap limit is its own and not this test JVM's. Surefire runs before
 * {@code mvn package} builds the jar, so the launcher is pointed at the compiled classes and the
 * dependency classpath the build wrote (MDTLOAD_CLASSPATH); the JVM flags are the launcher's own.
 */
@EnabledOnOs(OS.LINUX)
class LoadHeapTest {
    private static final String HEAP = "-Xmx32m";

    @TempDir
    Path dir;

    @Test
    void load_ofA100MiBImage_succeedsWithA32MiBHeap() throws Exception {
        Path home = Path.of(System.getProperty("mdtload.home", ".")).toAbsolutePath();
        Path image = LargeImage.write(dir.resolve("image"));
        Path carveout = dir.resolve("carveout.bin");
        Path output = dir.resolve("output.txt");
        String classpath = home.resolve("target/classes") + ":"
                + Files.readString(home.resolve("target/test-classpath.txt")).strip();

        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/mdtload").toString(), "load", image.toString(),
                "--carveout", "file:" + carveout, "--phys", "0x" + Long.toHexString(LargeImage.PHYS),
                "--size", Long.toString(LargeImage.LOAD_SIZE), "--pas-id", "6", "--scm", "sim")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        // -XX:+PrintCommandLineFlags shows the heap limit the loader really ran with
        builder.environment().put("MDTLOAD_JAVA_OPTS", HEAP + " -XX:+PrintCommandLineFlags");
        builder.environment().put("MDTLOAD_CLASSPATH", classpath);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the load finishes within a minute");

        String printed = Files.readString(output);
        assertEquals(0, process.exitValue(), printed);
        assertTrue(printed.contains("-XX:MaxHeapSize=" + (32L << 20)), printed);
        assertTrue(printed.contains("pas id 6 authenticated and started"), printed);
        ExpectedCarveout.of(image).assertLoadedInto(carveout, LargeImage.PHYS);
    }
}
