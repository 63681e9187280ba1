package dev.mdtload.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.mdtload.provision.ManifestException;
import dev.mdtload.provision.ManifestReader;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Target (e): the provisioning manifest reader over arbitrary YAML or JSON text. A bad manifest
 * must end as a {@link ManifestException} whose every problem is one line naming the file; no
 * other exception may escape (Jackson's and SnakeYAML's included).
 */
class ManifestFuzzTest {
    private static final FileSystem FS = Jimfs.newFileSystem(Configuration.unix());

    @FuzzTest
    void manifest(FuzzedDataProvider data) throws IOException {
        Path file = FS.getPath(data.consumeBoolean() ? "/board.json" : "/board.yaml");
        Files.write(file, data.consumeRemainingAsBytes());
        try {
            ManifestReader.read(file);
        } catch (ManifestException e) {
            if (e.problems().isEmpty()) {
                throw new AssertionError("a refused manifest without a problem");
            }
            for (String problem : e.problems()) {
                if (!problem.startsWith(file.toString()) || problem.indexOf('\n') >= 0 || problem.indexOf('\r') >= 0) {
                    throw new AssertionError("problem is not one line naming the manifest: " + problem);
                }
            }
        }
    }
}
