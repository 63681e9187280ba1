package dev.mdtload.address;

import dev.mdtload.failure.UsageFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The venus bug, written out by a caller outside the {@code address} package, must not compile:
 * a DMA address's raw number cannot be read there, so it cannot become a physical address, a DMA
 * address is not a PAS call's address, and raw SCM arguments are out of reach. The legitimate path, an explicit translation, compiles: the positive control that
 * shows a failure below is the seam, not a broken test set-up.
 */
class DmaSeamCompileTest {
    @TempDir
    Path dir;

    @Test
    void aDmaAddressCannotBeReadAsAPhysicalAddress() throws IOException {
        assertDoesNotCompile("""
                import dev.mdtload.address.*;
                class Caller {
                    PhysAddr wrong(DmaAddr dma) { return PhysAddr.of(dma.iova()); }
                }""",
                "iova()");
    }

    @Test
    void aDmaAddressCannotBeHandedToTheSecureWorld() throws IOException {
        assertDoesNotCompile("""
                import dev.mdtload.address.*;
                import dev.mdtload.scm.PasCall;
                class Caller {
                    PasCall wrong(DmaAddr dma) { return new PasCall.MemSetup(6, dma, 4096); }
                }""",
                "DmaAddr cannot be converted to dev.mdtload.address.PhysAddr");
    }

    @Test
    void rawScmArgumentsAreNotReachableOutsideTheScmPackage() throws IOException {
        assertDoesNotCompile("""
                import dev.mdtload.scm.ScmArg;
                class Caller {
                    Object wrong(long iova) { return new ScmArg.Value(iova); }
                }""",
                "ScmArg is not public");
    }

    @Test
    void anExplicitTranslationCompiles() throws IOException {
        assertCompiles("""
                import dev.mdtload.address.*;
                import dev.mdtload.scm.PasCall;
                class Caller {
                    PasCall right(DmaAddr dma, IommuMap map) throws dev.mdtload.failure.UsageFailure {
                        return new PasCall.MemSetup(6, map.translate(dma, 4096), 4096);
                    }
                }""");
    }

    @Test
    void aDmaAddressCannotBeBridgedForTheSecureWorld() throws IOException {
        assertDoesNotCompile("""
                import dev.mdtload.address.*;
                import dev.mdtload.scm.PasCall;
                class Caller {
                    PasCall wrong(DmaAddr dma) { return new PasCall.ShmBridgeCreate(6, dma, 4096); }
                }""",
                "DmaAddr cannot be converted to dev.mdtload.address.PhysAddr");
    }

    @Test
    void aPhysicalAddressIsNotADeviceAddressToTranslate() throws IOException {
        assertDoesNotCompile("""
                import dev.mdtload.address.*;
                class Caller {
                    PhysAddr wrong(PhysAddr phys, IommuMap map) throws dev.mdtload.failure.UsageFailure {
                        return map.translate(phys, 4096);
                    }
                }""",
                "PhysAddr cannot be converted to dev.mdtload.address.DmaAddr");
    }

    /** The EL2 path's own: the device's view of the carveout through the identity window, bridged by its physical address. */
    @Test
    void anIdentityMappedCarveoutIsBridgedByItsTranslation() throws IOException {
        assertCompiles("""
                import dev.mdtload.address.*;
                import dev.mdtload.scm.PasCall;
                class Caller {
                    PasCall right(PhysAddr base, IommuMap map) throws dev.mdtload.failure.UsageFailure {
                        DmaAddr device = map.identityOver(base, 4096).dmaAddr(base, 4096);
                        return new PasCall.ShmBridgeCreate(6, map.translate(device, 4096), 4096);
                    }
                }""");
    }

    private void assertCompiles(String source) throws IOException {
        Result r = compile(source);
        assertTrue(r.ok, r.messages);
    }

    /** {@code source} is refused, and the compiler says {@code why}: the seam, not some other mistake. */
    private void assertDoesNotCompile(String source, String why) throws IOException {
        Result r = compile(source);
        assertFalse(r.ok, r.messages);
        assertTrue(r.messages.contains(why), r.messages);
    }

    private record Result(boolean ok, String messages) {
    }

    private Result compile(String source) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        Path file = dir.resolve("Caller.java");
        Files.writeString(file, source);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString()),
                    null, files.getJavaFileObjects(file)).call();
            String messages = diagnostics.getDiagnostics().stream()
                    .map(d -> d.getMessage(null)).collect(Collectors.joining("\n"));
            return new Result(ok, messages);
        }
    }
}
