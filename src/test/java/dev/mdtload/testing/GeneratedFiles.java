package dev.mdtload.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Committed files rendered from code (docs/rules.md, native-stubs/mbn_header.h): the test fails when
 * the file and the code drift, and {@code -Dmdtload.writeDocs=true} rewrites the file first.
 */
public final class GeneratedFiles {
    private GeneratedFiles() {}

    /** @param testName the test class that renders it, named in the failure's hint */
    public static void assertUpToDate(Path file, String rendered, String testName) throws IOException {
        if (Boolean.getBoolean("mdtload.writeDocs")) {
            Files.writeString(file, rendered, StandardCharsets.UTF_8);
        }
        assertEquals(rendered, Files.readString(file, StandardCharsets.UTF_8), file + " differs from the code it is "
                + "rendered from: mvn test -Dtest=" + testName + " -Dmdtload.writeDocs=true");
    }
}
