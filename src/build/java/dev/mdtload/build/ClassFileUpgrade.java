package dev.mdtload.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Rewrites the class files of the runtime libraries that predate Java 6 (major version below 50) as
 * Java 8 class files, with the stack maps the newer format requires; nothing else changes. Run by the
 * build on target/lib after Maven copies the libraries there.
 *
 * <p>Why: the JDK's AOT cache (bin/mdtload's mdtload.aot) can neither hold nor pre-link a class
 * file that old, so picocli 4.7 (built for Java 5) was loaded, parsed and verified from its jar
 * by the old type-inferring verifier on every start: about 80 ms of {@code info}'s 460
 * (docs/benchmarks.md, fourth round). Upgraded, its classes come from the cache like the rest.
 *
 * <p>Idempotent: a jar with no old class file is left as it is, byte for byte, so running the
 * build again does nothing. A signed jar with old class files is refused, as rewriting it would
 * break its signature.
 */
public final class ClassFileUpgrade {
    private static final int FIRST_WITH_STACK_MAPS = 50;
    private static final int TARGET_MAJOR = ClassFile.JAVA_8_VERSION;

    private ClassFileUpgrade() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ClassFileUpgrade LIB_DIRECTORY");
        }
        List<Path> jars;
        try (Stream<Path> listing = Files.list(Path.of(args[0]))) {
            jars = listing.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            if (upgrade(jar)) {
                System.out.println("upgraded the class files of " + jar.getFileName() + " to Java 8's format");
            }
        }
    }

    private static boolean upgrade(Path jar) throws IOException {
        List<Entry> entries = read(jar);
        if (entries.stream().noneMatch(Entry::isOld)) {
            return false;
        }
        if (entries.stream().anyMatch(e -> e.name().startsWith("META-INF/") && e.name().endsWith(".SF"))) {
            throw new IOException(jar + " is signed and has class files older than Java 6; rewriting them would break the signature");
        }
        // Stack maps name the common supertype wherever two paths meet, so the jar's own classes
        // must be resolvable beside the JDK's.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassFile classFile = ClassFile.of(
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            ClassTransform version = (builder, element) -> {
                if (element instanceof ClassFileVersion) {
                    builder.withVersion(TARGET_MAJOR, 0);
                } else {
                    builder.with(element);
                }
            };
            // Passing every method body through a code transform makes the library rebuild it, and
            // so generate its stack maps; bodies merely copied across would have none.
            ClassTransform upgrade = version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
            Path temporary = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
            try {
                try (JarInputStream manifestSource = new JarInputStream(Files.newInputStream(jar));
                     OutputStream file = Files.newOutputStream(temporary);
                     JarOutputStream out = manifestOf(manifestSource, file)) {
                    for (Entry entry : entries) {
                        byte[] bytes = entry.isOld()
                                ? classFile.transformClass(classFile.parse(entry.bytes()), upgrade)
                                : entry.bytes();
                        JarEntry written = new JarEntry(entry.name());
                        written.setTime(entry.time());
                        out.putNextEntry(written);
                        out.write(bytes);
                        out.closeEntry();
                    }
                }
                Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(jar));
                Files.move(temporary, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        return true;
    }

    private static JarOutputStream manifestOf(JarInputStream source, OutputStream file) throws IOException {
        Manifest manifest = source.getManifest();
        return manifest == null ? new JarOutputStream(file) : new JarOutputStream(file, manifest);
    }

    /** The entries after the manifest (which {@link JarInputStream} reads apart), directories included. */
    private static List<Entry> read(Path jar) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream file = Files.newInputStream(jar); JarInputStream in = new JarInputStream(file)) {
            for (JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
                entries.add(new Entry(entry.getName(), entry.getTime(), in.readAllBytes()));
            }
        }
        return entries;
    }

    private record Entry(String name, long time, byte[] bytes) {
        boolean isOld() {
            return name.endsWith(".class") && !name.startsWith("META-INF/") && major() < FIRST_WITH_STACK_MAPS;
        }

        private int major() {
            return bytes.length < 8 ? Integer.MAX_VALUE : (bytes[6] & 0xff) << 8 | bytes[7] & 0xff;
        }
    }
}
