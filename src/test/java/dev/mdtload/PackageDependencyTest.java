package dev.mdtload;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packages' allowed dependencies, pinned: the layers of docs/architecture.md. A package may use
 * the ones listed for it and nothing else of mdtload's, so a new dependency is a decision made here,
 * in review, and never an accident of an import. Read bottom-up: values and libc at the bottom, the
 * image and the secure world above them, loading above both, and only {@code cli} sees everything.
 */
class PackageDependencyTest {
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mdtload");

    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            // leaves: values and the one native seam
            Map.entry("failure", Set.of()),
            Map.entry("address", Set.of()),
            Map.entry("posix", Set.of()),
            Map.entry("check", Set.of()),
            Map.entry("kernel", Set.of()),
            Map.entry("files", Set.of()),
            Map.entry("parallel", Set.of()),
            Map.entry("crypto", Set.of()),
            // reading images
            Map.entry("elf", Set.of("check")),
            Map.entry("mbn", Set.of("address", "check", "crypto", "elf", "files")),
            Map.entry("image", Set.of("address", "check", "crypto", "elf", "kernel", "mbn", "parallel")),
            Map.entry("signature", Set.of("check", "elf", "image", "mbn")),
            // memory and the secure world
            Map.entry("carveout", Set.of("address", "posix")),
            // the simulated secure world finds each peripheral's memory from its carveout spec
            Map.entry("scm", Set.of("address", "carveout", "posix")),
            Map.entry("board", Set.of("address", "carveout", "check")),
            // doing something with an image
            Map.entry("load", Set.of("address", "carveout", "check", "elf", "image", "mbn", "scm")),
            Map.entry("rproc", Set.of("check", "files", "image", "mbn")),
            Map.entry("squash", Set.of("check", "elf", "files", "image", "mbn")),
            Map.entry("sign", Set.of("address", "check", "elf", "files", "image", "mbn", "signature")),
            Map.entry("samples", Set.of("check", "elf", "files", "kernel", "mbn")),
            Map.entry("preflight", Set.of("check", "elf", "image", "mbn", "scm", "signature")),
            Map.entry("provision", Set.of("address", "board", "carveout", "check", "image", "kernel", "load", "posix",
                    "preflight", "rproc", "scm")),
            Map.entry("doctor", Set.of("address", "board", "check", "image", "kernel", "rproc", "signature")),
            // the command line sees everything
            Map.entry("cli", Set.of("*")),
            // compiled for Java 8 so an old java can say which java is needed: it may know nothing else
            Map.entry("gate", Set.of()));

    /** The failure kinds: every package throws them, as every package may use java.lang. */
    private static final Set<String> EVERYONE_MAY_USE = Set.of("failure");

    @Test
    void everyPackageHasItsPlace() {
        Set<String> packages = PRODUCT.stream()
                .map(JavaClass::getPackageName)
                .filter(name -> name.startsWith("dev.mdtload."))
                .map(PackageDependencyTest::topLevel)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(ALLOWED.keySet()), packages,
                "a package was added or removed: give it its place in ALLOWED (and docs/architecture.md)");
    }

    @TestFactory
    Stream<DynamicTest> eachPackageUsesOnlyWhatItMay() {
        return ALLOWED.entrySet().stream()
                .filter(e -> !e.getValue().contains("*"))
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    String[] forbidden = ALLOWED.keySet().stream()
                            .filter(other -> !other.equals(e.getKey()) && !e.getValue().contains(other)
                                    && !EVERYONE_MAY_USE.contains(other))
                            .map(other -> "dev.mdtload." + other + "..")
                            .toArray(String[]::new);
                    noClasses().that().resideInAPackage("dev.mdtload." + e.getKey() + "..")
                            .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                            .because(e.getKey() + " may use only " + new TreeSet<>(e.getValue()))
                            .check(PRODUCT);
                }));
    }

    /**
     * Package-private by default: a public type is one another package uses (its code or its tests).
     * A type only its own package needs stays out of the other packages' sight.
     */
    @Test
    void everyPublicTypeIsUsedFromAnotherPackage() {
        JavaClasses all = new ClassFileImporter().importPackages("dev.mdtload");
        List<String> needlesslyPublic = PRODUCT.stream()
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC) && c.isTopLevelClass())
                // a use of a nested type (Target.Phys) is a use of the type that holds it
                .filter(c -> all.stream()
                        .filter(t -> t.getName().equals(c.getName()) || t.getName().startsWith(c.getName() + "$"))
                        .flatMap(t -> t.getDirectDependenciesToSelf().stream())
                        .map(d -> d.getOriginClass().getPackageName())
                        .allMatch(c.getPackageName()::equals))
                .map(JavaClass::getName)
                // the jar's Main-Class, and the class it and bin/mdtload start by name: the JVM, not a package, uses them
                .filter(name -> !name.equals("dev.mdtload.gate.JavaVersionGate") && !name.equals("dev.mdtload.cli.Main"))
                .sorted()
                .toList();
        assertEquals(List.of(), needlesslyPublic, "public, but no other package uses them: make them package-private");
    }

    @Test
    void noCycles() {
        slices().matching("dev.mdtload.(*)..").should().beFreeOfCycles().check(PRODUCT);
    }

    @Test
    void onlyTheCommandLineKnowsPicocli() {
        noClasses().that().resideOutsideOfPackage("dev.mdtload.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .because("the library is usable without the command line")
                .check(PRODUCT);
    }

    private static String topLevel(String packageName) {
        String rest = packageName.substring("dev.mdtload.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
