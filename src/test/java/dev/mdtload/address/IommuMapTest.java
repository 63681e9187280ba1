package dev.mdtload.address;

import dev.mdtload.failure.UsageFailure;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Declared translations: a translated window, and the identity window whose IOVA is the physical address's number. */
class IommuMapTest {
    private static final Device ADSP = new Device("adsp");
    private static final long BASE = 0x8b20_0000L;
    private static final long SIZE = 0x50_0000L;

    @Test
    void identity_givesTheDevicesAddress_numericallyThePhysicalOne_andTranslatesBackToIt() throws UsageFailure {
        IommuMap.Identity window = IommuMap.Window.identity(ADSP, BASE, SIZE);
        PhysAddr inside = PhysAddr.of(BASE + 0x1000);

        DmaAddr dma = window.dmaAddr(inside, 0x2000);

        assertEquals(new DmaAddr(ADSP, BASE + 0x1000), dma);
        assertEquals(ADSP, dma.device());
        assertEquals(inside, new IommuMap(List.of(window)).translate(dma, 0x2000));
        // the same number seen by another device is another address
        assertNotEquals(new DmaAddr(new Device("cdsp"), BASE + 0x1000), dma);
    }

    @Test
    void identity_refusesARangeReachingOutOfTheWindow() {
        IommuMap.Identity window = IommuMap.Window.identity(ADSP, BASE, SIZE);
        UsageFailure below = assertThrows(UsageFailure.class, () -> window.dmaAddr(PhysAddr.of(BASE - 0x1000), 0x1000));
        assertEquals("phys 0x8b1ff000 (+0x1000) is outside the identity window adsp:identity=0x8b200000+0x500000",
                below.getMessage());
        assertThrows(UsageFailure.class, () -> window.dmaAddr(PhysAddr.of(BASE), SIZE + 1));
    }

    @Test
    void identityOver_findsOnlyAnIdentityWindowHoldingTheWholeRange() throws UsageFailure {
        IommuMap.Translated smmu = new IommuMap.Translated(ADSP, 0x1000_0000L, PhysAddr.of(BASE), SIZE);
        IommuMap.Identity identity = IommuMap.Window.identity(new Device("cdsp"), BASE, SIZE);
        IommuMap map = new IommuMap(List.of(smmu, identity));

        assertEquals(identity, map.identityOver(PhysAddr.of(BASE), SIZE));
        assertThrows(UsageFailure.class, () -> map.identityOver(PhysAddr.of(BASE), SIZE + 0x1000));
        assertThrows(UsageFailure.class, () -> new IommuMap(List.of(smmu)).identityOver(PhysAddr.of(BASE), SIZE));
    }

    @Test
    void windowsOfOneDevice_mayNotOverlap_whateverTheirKind() {
        assertThrows(IllegalArgumentException.class, () -> new IommuMap(List.of(
                IommuMap.Window.identity(ADSP, BASE, SIZE),
                new IommuMap.Translated(ADSP, BASE + 0x1000, PhysAddr.of(0x9000_0000L), 0x1000))));
    }
}
