package dev.mdtload.address;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * A raw number becomes a {@link PhysAddr} only where it enters the program: the command line, the
 * manifest, the device tree and sysfs. Everywhere else an address is derived from another address,
 * so a number of another kind (an IOVA, a size, an offset) cannot turn into one unnoticed.
 */
class PhysAddrBoundaryTest {
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.mdtload");

    /** Each of them with its nested classes: the command-line converters, the manifest and device-tree readers, and the sysfs readers (uio maps, PCI BARs). */
    private static final String BOUNDARIES = "dev\\.mdtload\\.(cli\\.Converters\\$(Phys|Window)"
            + "|provision\\.ManifestReader|board\\.Board|carveout\\.(UioCarveout|PciBar))(\\$.*)?";

    @Test
    void onlyInputBoundariesTurnNumbersIntoPhysicalAddresses() {
        noClasses()
                .that().resideOutsideOfPackage("dev.mdtload.address")
                .and().haveNameNotMatching(BOUNDARIES)
                .should().callMethod(PhysAddr.class, "of", long.class)
                .orShould().callConstructor(PhysAddr.class, long.class)
                .because("an address is derived from an address past the input boundary")
                .check(PRODUCT);
    }
}
