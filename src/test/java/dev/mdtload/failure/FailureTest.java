package dev.mdtload.failure;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.NoSuchAlgorithmException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FailureTest {
    @Test
    void kinds_carryTheDocumentedExitCodes() {
        assertEquals(1, new InvalidInput("carveout-too-small", "x").kind().exitCode());
        assertEquals(2, new UsageFailure("x").kind().exitCode());
        assertEquals(4, new Refusal("EBUSY", "x", null).kind().exitCode());
        assertEquals(3, Failure.of(new IOException("x")).kind().exitCode());
    }

    @Test
    void of_keepsAFailureAsItIs() {
        Refusal refusal = new Refusal("EBUSY", "remoteproc0: cannot start", null);
        assertSame(refusal, Failure.of(refusal));
    }

    @Test
    void of_aPathThatIsNotThere_isUsage_namingThePathOnly() {
        Failure f = Failure.of(new NoSuchFileException("/nonexistent/x.mbn"));
        assertEquals(Kind.USAGE, f.kind());
        assertEquals("/nonexistent/x.mbn: no such file or directory", f.getMessage());
        assertEquals(Kind.USAGE, Failure.of(new UncheckedIOException(new NotDirectoryException("a.mbn/x.mdt"))).kind());
    }

    @Test
    void of_anOutputThatExists_isUsage_withNoClassName() {
        Failure f = Failure.of(new FileAlreadyExistsException("out.mbn"));
        assertEquals(Kind.USAGE, f.kind());
        assertEquals("out.mbn: already exists (use --force to replace it)", f.getMessage());
    }

    @Test
    void of_whatTheMachineRefused_isEnvironment_withItsErrnoOrAReadableReason() {
        Failure denied = Failure.of(new AccessDeniedException("/dev/mem"));
        assertEquals(Kind.ENVIRONMENT, denied.kind());
        assertEquals("EACCES", denied.ruleId());
        assertEquals("/dev/mem: permission denied", denied.getMessage());
        assertEquals("out: is a directory", Failure.of(new FileSystemException("out", null, "Is a directory")).getMessage());
        assertEquals("crypto", Failure.of(new NoSuchAlgorithmException("SHA-999")).ruleId());
        assertEquals(Kind.ENVIRONMENT, Failure.of(new OutOfMemoryError("Java heap space")).kind());
    }
}
