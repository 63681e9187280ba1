package dev.mdtload.gate;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The jar's Main-Class, compiled for Java 8 so that {@code java -jar mdtload.jar} on any older
 * JVM can run it: it says in one line which Java mdtload needs instead of an
 * UnsupportedClassVersionError, and otherwise hands over to {@code dev.mdtload.cli.Main}.
 * The version needed is read from that class file itself, so it follows the build's release.
 */
public final class JavaVersionGate {
    private static final String MAIN = "dev.mdtload.cli.Main";
    /** Class file major version N is Java N - 44 (JVMS 4.1). */
    private static final int JAVA_OF_MAJOR = 44;

    private JavaVersionGate() {
    }

    public static void main(String[] args) throws Throwable {
        int needed = classFileMajor() - JAVA_OF_MAJOR;
        int running = (int) Double.parseDouble(System.getProperty("java.class.version")) - JAVA_OF_MAJOR;
        if (running < needed) {
            System.err.println("mdtload: needs Java " + needed + " or newer, but " + System.getProperty("java.home")
                    + " is Java " + running + "; use bin/mdtload, or install JDK " + needed
                    + " and run it with that java");
            System.exit(3);
        }
        MethodHandles.publicLookup()
                .findStatic(Class.forName(MAIN), "main", MethodType.methodType(void.class, String[].class))
                .invokeExact(args);
    }

    private static int classFileMajor() throws IOException {
        InputStream in = JavaVersionGate.class.getResourceAsStream("/" + MAIN.replace('.', '/') + ".class");
        if (in == null) {
            throw new IOException(MAIN + " is not in the jar");
        }
        try (DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // magic
            data.readUnsignedShort(); // minor version
            return data.readUnsignedShort();
        }
    }
}
