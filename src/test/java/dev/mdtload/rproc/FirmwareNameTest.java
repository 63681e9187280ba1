package dev.mdtload.rproc;

import dev.mdtload.failure.UsageFailure;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirmwareNameTest {
    @Test
    void of_acceptsNamesRelativeToTheSearchPath() throws Exception {
        for (String ok : List.of("wpss.mdt", "ath11k/WCN6750/hw1.0/wpss.mdt", "qcom/venus-5.2/venus.mbn", "a..b/c..mdt")) {
            assertEquals(ok, FirmwareName.of(ok).value());
        }
    }

    @Test
    void of_refusesEveryNameThatCouldLeaveTheSearchPath() {
        List<String> bad = List.of("", "/lib/firmware/wpss.mdt", "../wpss.mdt", "ath11k/../../etc/passwd", "a/..",
                "a//b.mdt", "./wpss.mdt", "ath11k/", "wpss.mdt\nstart", "x".repeat(256));
        for (String name : bad) {
            assertThrows(UsageFailure.class, () -> FirmwareName.of(name), name);
        }
        UsageFailure e = assertThrows(UsageFailure.class, () -> FirmwareName.of("../m3.mdt"));
        assertEquals("firmware name '../m3.mdt' has a '..' component: a name must stay inside the firmware search path",
                e.getMessage());
        assertTrue(assertThrows(UsageFailure.class, () -> FirmwareName.of("/m3.mdt")).getMessage()
                .contains("is absolute"));
        assertTrue(assertThrows(UsageFailure.class, () -> FirmwareName.of("a\nb")).getMessage()
                .startsWith("firmware name 'a?b'"), "the message stays on one line");
    }

    @Test
    void part_namesPartsAsTheKernelDoes() throws Exception {
        // mdt_loader.c: the firmware name minus its last 3 characters, then "b%02d"
        assertEquals("ath11k/IPQ8074/hw2.0/q6_fw.b07", FirmwareName.of("ath11k/IPQ8074/hw2.0/q6_fw.mdt").part(7).value());
        assertEquals("fw.b12", FirmwareName.of("fw.bin").part(12).value());
        assertThrows(UsageFailure.class, () -> FirmwareName.of("a/mdt").part(0));
        assertEquals(Path.of("/lib/firmware/a/b.mdt"), FirmwareName.of("a/b.mdt").in(Path.of("/lib/firmware")));
    }
}
