package dev.mdtload.cli;

import dev.mdtload.testing.BoardCopy;
import dev.mdtload.testing.Manifests;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a provisioning run takes under the board's root before it starts anything: a real run the
 * board-wide lock; a dry run nothing, with or without remote processors to rehearse.
 */
class ProvisionRunRootTest {
    private static final String LOCK = "run/lock/mdtload-provision.lock";

    @TempDir
    Path dir;
    Path root;

    @BeforeEach
    void board() {
        root = BoardCopy.create(dir);
    }

    @Test
    void aDryRunOfSecureWorldLoadsOnly_takesNoLockAndChangesNothingUnderTheRoot() throws IOException {
        Path manifest = Manifests.write(dir, Manifests.scm("wpss", RealImage.WPSS, "reserved:wpss", 6));
        Map<String, String> before = BoardCopy.snapshot(root);

        CliRun run = CliRun.of("provision", manifest.toString(), "--root", root.toString(), "--dry-run");

        assertEquals(0, run.exit(), run.err());
        assertFalse(Files.exists(root.resolve(LOCK)), "a dry run takes no lock");
        assertEquals(before, BoardCopy.snapshot(root));
    }

    @Test
    void aRealRunOfTheSameManifest_takesTheLockFileUnderTheRoot() {
        Path manifest = Manifests.write(dir, Manifests.scm("wpss", RealImage.WPSS, "reserved:wpss", 6));

        CliRun run = CliRun.of("provision", manifest.toString(), "--root", root.toString());

        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.isRegularFile(root.resolve(LOCK)), "the lock's file stays; the lock went with the run");
    }
}
