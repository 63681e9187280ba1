package dev.mdtload.build;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build step that rewrites picocli's Java 5 class files, run as the build runs it (the JDK's
 * source launcher on src/build/java) over copies of the real jars from the test class path.
 */
class ClassFileUpgradeTest {
    private static final Path TOOL = Path.of(System.getProperty("mdtload.home", "."),
            "src/build/java/dev/mdtload/build/ClassFileUpgrade.java");

    @TempDir
    static Path lib;
    static Path picocli;
    static Path jackson;
    static Map<String, byte[]> before;
    static String output;

    @BeforeAll
    static void upgradeCopies() throws Exception {
        picocli = Files.copy(jarOf(CommandLine.class), lib.resolve("picocli.jar"));
        jackson = Files.copy(jarOf(JsonFactory.class), lib.resolve("jackson-core.jar"));
        before = entries(picocli);
        output = run();
    }

    @Test
    void picocliShipsJava5ClassFilesWhichTheStepMakesJava8Ones() throws Exception {
        assertTrue(before.entrySet().stream().anyMatch(e -> isClass(e.getKey()) && major(e.getValue()) == 49),
                "the premise: picocli's jar has Java 5 class files");
        Map<String, byte[]> after = entries(picocli);
        assertEquals(before.keySet(), after.keySet(), "the same entries, in the same order");
        after.forEach((name, bytes) -> {
            if (isClass(name)) {
                assertEquals(52, major(bytes), name);
                assertNotEquals(0, Arrays.compare(before.get(name), bytes), name + " rewritten");
            } else {
                assertArrayEquals(before.get(name), bytes, name + " copied unchanged");
            }
        });
        assertEquals(manifest(jarOf(CommandLine.class)), manifest(picocli));
        assertTrue(output.contains("upgraded the class files of picocli.jar"), output);
    }

    /** Loading a class with initialisation links it, and linking verifies it against its new stack maps. */
    @Test
    void everyRewrittenClassPassesTheVerifier() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {picocli.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            int loaded = 0;
            for (String name : entries(picocli).keySet()) {
                if (isClass(name)) {
                    Class<?> c = Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), true, loader);
                    assertEquals(loader, c.getClassLoader());
                    loaded++;
                }
            }
            assertTrue(loaded > 200, "picocli 4.7 has over 200 classes, loaded " + loaded);
        }
    }

    @Test
    void aJarWithoutOldClassFilesAndASecondRunLeaveTheFilesAsTheyWere() throws Exception {
        byte[] jacksonBefore = Files.readAllBytes(jarOf(JsonFactory.class));
        byte[] upgraded = Files.readAllBytes(picocli);
        assertEquals("", run(), "nothing left to upgrade");
        assertArrayEquals(jacksonBefore, Files.readAllBytes(jackson));
        assertArrayEquals(upgraded, Files.readAllBytes(picocli));
    }

    private static String run() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                TOOL.toString(), lib.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static Path jarOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Map<String, byte[]> entries(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream file = Files.newInputStream(jar); JarInputStream in = new JarInputStream(file)) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static Manifest manifest(Path jar) throws IOException {
        try (InputStream file = Files.newInputStream(jar); JarInputStream in = new JarInputStream(file)) {
            return in.getManifest();
        }
    }

    private static boolean isClass(String name) {
        return name.endsWith(".class") && !name.startsWith("META-INF/");
    }

    private static int major(byte[] classFile) {
        return (classFile[6] & 0xff) << 8 | classFile[7] & 0xff;
    }
}
