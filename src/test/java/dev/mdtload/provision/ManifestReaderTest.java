package dev.mdtload.provision;

import dev.mdtload.address.Device;
import dev.mdtload.address.DmaAddr;
import dev.mdtload.address.IommuMap;
import dev.mdtload.address.PhysAddr;
import dev.mdtload.carveout.CarveoutSpec;
import dev.mdtload.provision.Manifest.CarveoutRef;
import dev.mdtload.provision.Manifest.Entry;
import dev.mdtload.provision.Manifest.KernelCarveout;
import dev.mdtload.provision.Manifest.Method;
import dev.mdtload.scm.Host;
import dev.mdtload.scm.ScmConvention;
import dev.mdtload.testing.FakeBoard;
import dev.mdtload.testing.RealImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ManifestReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    private List<String> problems(Path manifest) {
        return assertThrows(ManifestException.class, () -> ManifestReader.read(manifest)).problems();
    }

    @Test
    void read_takesTheShippedManifestOfTheFakeBoard() throws Exception {
        Path file = FakeBoard.SAMPLES.resolve("board/manifest.yaml");
        Manifest m = ManifestReader.read(file);

        assertEquals(new Manifest.Settings(Manifest.ScmBackend.SIM, ScmConvention.SMC64, Manifest.SysfsKind.SIM, Manifest.Kernel.BOARDS_OWN), m.settings());
        assertEquals(List.of("wpss", "venus", "q6", "m3"), m.processors().stream().map(Entry::name).toList());
        Entry wpss = m.processors().getFirst();
        assertEquals(new Method.Alone(6, new CarveoutRef.Reserved(new CarveoutSpec.Reserved("wpss"))), wpss.method());
        assertEquals(-1, Files.mismatch(RealImage.WPSS.path(), wpss.image()), "the image path is relative to the manifest");
        assertEquals(new Method.Remoteproc("m3", "ath11k/IPQ8074/hw2.0/m3_fw.mdt",
                        new KernelCarveout.Named(new CarveoutRef.Reserved(new CarveoutSpec.Reserved("m3")))),
                m.processors().getLast().method());
    }

    @Test
    void read_ordersEntriesByOrderAndDefaultsTheSettings() throws Exception {
        Path file = write("m.yaml",
                "processors:",
                "  - {name: late, image: a.mdt, method: remoteproc, remoteproc: m3, order: 20}",
                "  - {name: early, image: /abs/b.mbn, method: scm, pas_id: 0x9, order: 10,",
                "     carveout: {spec: devmem, phys: 0x8b200000, size: 0x500000}}");
        Manifest m = ManifestReader.read(file);

        assertEquals(new Manifest.Settings(Manifest.ScmBackend.SIM, ScmConvention.SMC64, Manifest.SysfsKind.REAL, Manifest.Kernel.BOARDS_OWN), m.settings());
        assertEquals(List.of("early", "late"), m.processors().stream().map(Entry::name).toList());
        Entry early = m.processors().getFirst();
        assertEquals(3, early.line());
        assertEquals(new Method.Alone(9, new CarveoutRef.Explicit(new CarveoutSpec.DevMem.Default(),
                PhysAddr.of(0x8b200000L), 0x500000)), early.method());
        assertEquals(Path.of("/abs/b.mbn"), early.image());
        assertEquals(dir.resolve("a.mdt"), m.processors().getLast().image());
        assertEquals(new Method.Remoteproc("m3", "a.mdt", new KernelCarveout.FromDeviceTree()),
                m.processors().getLast().method(), "no firmware: the image's file name; no carveout: the device tree's");
    }

    @Test
    void read_takesJsonWithAddressesAsHexStrings() throws Exception {
        Path file = write("m.json", """
                {"scm": "record", "convention": "legacy", "processors": [
                  {"name": "wpss", "image": "wpss.mdt", "method": "scm", "pas_id": 6,
                   "carveout": {"spec": "file:/tmp/wpss.bin", "phys": "0x9ae00000", "size": 26214400}}]}""");
        Manifest m = ManifestReader.read(file);

        assertEquals(ScmConvention.LEGACY, m.settings().convention());
        assertEquals(Manifest.ScmBackend.RECORD, m.settings().scm());
        assertEquals(new Method.Alone(6, new CarveoutRef.Explicit(new CarveoutSpec.File(Path.of("/tmp/wpss.bin")),
                PhysAddr.of(0x9ae00000L), 0x1900000)), m.processors().getFirst().method());
    }

    @Test
    void read_refusesEveryUnknownFieldWithItsNameAndLine() throws IOException {
        Path file = write("m.yaml",
                "scm: sim",
                "colour: blue",
                "processors:",
                "  - name: wpss",
                "    image: wpss.mdt",
                "    method: scm",
                "    pasid: 6",
                "    carveout: {spec: devmem, phys: 0x1000, size: 0x1000, cache: off}");
        List<String> problems = problems(file);

        assertEquals(3, problems.size(), problems.toString());
        assertEquals(file + ":2: colour: unknown field 'colour' (known: scm, convention, sysfs, kernel, facts, host, iommu_map, processors)",
                problems.get(0));
        assertEquals(file + ":7: processors[0].pasid: unknown field 'pasid' (known: name, image, carveout, pas_id, "
                + "method, remoteproc, firmware, order, companion, after)", problems.get(1));
        assertEquals(file + ":8: processors[0].carveout.cache: unknown field 'cache' (known: spec, phys, size)",
                problems.get(2));
    }

    @Test
    void read_namesTheLineOfAValueOfTheWrongKind() throws IOException {
        Path file = write("m.yaml",
                "processors:",
                "  - name: wpss",
                "    image: wpss.mdt",
                "    method: scm",
                "    carveout: reserved:wpss",
                "    pas_id: six");
        assertEquals(List.of(file + ":6: processors[0].pas_id: 'six' is not a whole number below 2^63 (decimal or 0x hex)"),
                problems(file));

        Path method = write("method.yaml", "processors:", "  - {name: wpss, image: wpss.mdt, method: pil}");
        assertEquals(List.of(method + ":2: processors[0].method: 'pil' is not one of scm, remoteproc"), problems(method));
    }

    @Test
    void read_refusesMissingAndMisplacedFieldsOfEveryEntryAtOnce() throws IOException {
        Path file = write("m.yaml",
                "processors:",
                "  - name: wpss",
                "    image: wpss.mdt",
                "    method: scm",
                "    firmware: wpss.mdt",
                "  - name: m3",
                "    image: m3_fw.mdt",
                "    method: remoteproc",
                "    pas_id: 3",
                "    carveout: devmem");
        assertEquals(List.of(
                file + ":2: processor wpss: pas_id is required for method scm",
                file + ":2: processor wpss: carveout is required for method scm: the memory mdtload loads into",
                file + ":5: processor wpss: firmware does not apply to method scm",
                file + ":10: processor m3: carveout devmem needs phys and size (only reserved:NAME knows its own)",
                file + ":6: processor m3: remoteproc is required for method remoteproc: the processor's name or remoteprocN",
                file + ":9: processor m3: pas_id does not apply to method remoteproc"), problems(file));
    }

    @Test
    void read_refusesTwoEntriesWithOneNameOrOnePasId() throws IOException {
        Path file = write("m.yaml",
                "processors:",
                "  - {name: a, image: a.mdt, method: scm, pas_id: 6, carveout: reserved:wpss}",
                "  - {name: a, image: b.mdt, method: scm, pas_id: 6, carveout: reserved:venus}");
        assertEquals(List.of(file + ":3: name 'a' is also used on line 2", file + ":3: pas id 6 is also used on line 2"),
                problems(file));
    }

    @Test
    void read_refusesOrderOnSomeEntriesOnly() throws IOException {
        Path file = write("m.yaml",
                "processors:",
                "  - {name: a, image: a.mdt, method: remoteproc, remoteproc: m3, order: 2}",
                "  - {name: b, image: b.mdt, method: remoteproc, remoteproc: wpss}");
        assertEquals(List.of(file + ":1: order is given on 1 of 2 entries: give it on every entry or on none"),
                problems(file));
    }

    @Test
    void read_refusesAReservedCarveoutWithASize() throws IOException {
        Path file = write("m.yaml",
                "processors:",
                "  - name: a",
                "    image: a.mdt",
                "    method: scm",
                "    pas_id: 6",
                "    carveout: {spec: reserved:wpss, size: 0x1000}");
        assertEquals(List.of(file + ":6: processor a: a reserved: carveout is the whole region: give no phys or size"),
                problems(file));
    }

    @Test
    void read_withoutHost_isAnOsUnderAHypervisor_whoseLoadsCarryNoWindow() throws Exception {
        Path file = write("m.yaml", "processors:", "  - {name: wpss, image: wpss.mdt, method: scm, pas_id: 6, carveout: reserved:wpss}");
        Manifest.OsLevel host = ManifestReader.read(file).settings().host();

        assertEquals(new Manifest.OsLevel.Hypervisor(), host);
        assertEquals(Host.HYPERVISOR, host.level());
        assertEquals(List.of(), host.iommu().windows());
    }

    @Test
    void read_takesHostEl2WithItsIdentityWindows_spelledAsLoadsIommuMap() throws Exception {
        Path file = write("m.yaml",
                "host: el2",
                "iommu_map:",
                "  - wpss:identity=0x9ae00000+0x1900000",
                "  - adsp:identity=0x86700000+40M",
                "processors:",
                "  - {name: wpss, image: wpss.mdt, method: scm, pas_id: 6, carveout: reserved:wpss}");
        Manifest.OsLevel host = ManifestReader.read(file).settings().host();

        assertEquals(new Manifest.OsLevel.El2(List.of(
                new IommuMap.Identity(new Device("wpss"), PhysAddr.of(0x9ae00000L), 0x1900000),
                new IommuMap.Identity(new Device("adsp"), PhysAddr.of(0x86700000L), 40L << 20))), host);
        assertEquals(Host.EL2, host.level());
        assertEquals(new DmaAddr(new Device("wpss"), 0x9ae00000L),
                host.iommu().identityOver(PhysAddr.of(0x9ae00000L), 0x1900000).dmaAddr(PhysAddr.of(0x9ae00000L), 0x1900000));

        Path json = write("m.json", """
                {"host": "el2", "iommu_map": ["wpss:identity=0x9ae00000+0x1900000"], "processors": [
                  {"name": "wpss", "image": "wpss.mdt", "method": "scm", "pas_id": 6, "carveout": "reserved:wpss"}]}""");
        assertEquals(new Manifest.OsLevel.El2(List.of(new IommuMap.Identity(new Device("wpss"), PhysAddr.of(0x9ae00000L),
                0x1900000))), ManifestReader.read(json).settings().host());
    }

    @Test
    void read_refusesEachBadWindowOnItsLine_withTheMessageLoadGivesForIt() throws IOException {
        Path file = write("m.yaml",
                "host: el2",
                "iommu_map:",
                "  - wpss:identity=0x9ae00000",
                "  - wpss:identity=0x9ae00000+0",
                "  - venus:0x10000000=0x8b200000+0x500000",
                "  - adsp:identity=0x86700000+lots",
                "processors:",
                "  - {name: wpss, image: wpss.mdt, method: scm, pas_id: 6, carveout: reserved:wpss}");
        assertEquals(List.of(
                file + ":3: iommu_map[0]: 'wpss:identity=0x9ae00000' is not DEVICE:IOVA=PHYS+SIZE or DEVICE:identity=BASE+SIZE",
                file + ":4: iommu_map[1]: IOMMU window 0x9ae00000+0x0 -> 0x9ae00000 is empty or wraps",
                file + ":5: iommu_map[2]: 'venus:0x10000000=0x8b200000+0x500000' is a translated window: the carveout is "
                        + "mapped 1:1, give DEVICE:identity=BASE+SIZE",
                file + ":6: iommu_map[3]: 'lots' is not a number (decimal, 0x hex, or with K/M/G)"), problems(file));
    }

    @Test
    void read_refusesOverlappingWindows_anUnknownHost_andWindowsUnderAHypervisor() throws IOException {
        Path overlapping = write("o.yaml",
                "host: el2",
                "iommu_map: ['wpss:identity=0x9ae00000+0x1900000', 'wpss:identity=0x9b000000+0x1000']",
                "processors:",
                "  - {name: wpss, image: wpss.mdt, method: scm, pas_id: 6, carveout: reserved:wpss}");
        assertEquals(List.of(overlapping + ":2: iommu_map: IOMMU windows of wpss overlap: 0x9ae00000 and 0x9b000000"),
                problems(overlapping));

        Path el3 = write("h.yaml", "host: el3", "processors:",
                "  - {name: wpss, image: wpss.mdt, method: scm, pas_id: 6, carveout: reserved:wpss}");
        assertEquals(List.of(el3 + ":1: host: 'el3' is not one of hypervisor, el2"), problems(el3));

        Path ignored = write("i.yaml", "iommu_map: ['wpss:identity=0x9ae00000+0x1900000']", "processors:",
                "  - {name: wpss, image: wpss.mdt, method: scm, pas_id: 6, carveout: reserved:wpss}");
        assertEquals(List.of(ignored + ":1: iommu_map: applies to host: el2 only (under a hypervisor the hypervisor "
                + "programs the remote processors' IOMMU)"), problems(ignored));
    }

    @Test
    void read_refusesTextThatIsNotYamlAndAManifestWithoutProcessors() throws IOException {
        Path broken = write("m.yaml", "processors:", "  - name: [unclosed");
        assertEquals(List.of(broken + ":2: while parsing a flow sequence: expected ',' or ']', but got <stream end>"),
                problems(broken));

        Path empty = write("e.yaml", "scm: sim");
        assertEquals(List.of(empty + ":1: no processors to bring up"), problems(empty));
    }
}
