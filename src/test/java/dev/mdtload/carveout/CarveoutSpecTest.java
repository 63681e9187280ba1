package dev.mdtload.carveout;

import dev.mdtload.failure.UsageFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CarveoutSpecTest {
    private static final String FORMS =
            "; expected file:PATH, devmem, devmem:PATH, uio:NAME, uio:NAME:MAP, dma-heap:HEAP, memfd or reserved:NAME";

    @Test
    void parse_readsEveryForm() throws UsageFailure {
        assertEquals(new CarveoutSpec.File(Path.of("/tmp/wpss.bin")), CarveoutSpec.parse("file:/tmp/wpss.bin"));
        assertEquals(new CarveoutSpec.File(Path.of("relative/c.bin")), CarveoutSpec.parse("file:relative/c.bin"));
        assertEquals(new CarveoutSpec.DevMem.Default(), CarveoutSpec.parse("devmem"));
        assertEquals(new CarveoutSpec.DevMem.Named(Path.of("/tmp/mem")), CarveoutSpec.parse("devmem:/tmp/mem"));
        assertEquals(new CarveoutSpec.Uio("uio0", 0), CarveoutSpec.parse("uio:uio0"));
        assertEquals(new CarveoutSpec.Uio("uio3", 2), CarveoutSpec.parse("uio:uio3:2"));
        assertEquals(new CarveoutSpec.DmaHeap("system"), CarveoutSpec.parse("dma-heap:system"));
        assertEquals(new CarveoutSpec.Memfd(), CarveoutSpec.parse("memfd"));
        assertEquals(new CarveoutSpec.Reserved("wpss@9ae00000"), CarveoutSpec.parse("reserved:wpss@9ae00000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:/tmp/wpss.bin", "devmem", "devmem:/tmp/mem", "uio:uio0", "uio:uio3:2",
            "dma-heap:system", "memfd", "reserved:wpss@9ae00000", "file:with:colons"})
    void toString_isTheSpecText(String text) throws UsageFailure {
        assertEquals(text, CarveoutSpec.parse(text).toString());
    }

    @Test
    void mapZero_isWrittenWithoutItsNumber() throws UsageFailure {
        assertEquals("uio:uio0", CarveoutSpec.parse("uio:uio0:0").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ramdisk:/dev/ram0|unknown kind 'ramdisk'",
            "File:/x|unknown kind 'File'",
            "''|unknown kind ''",
            "file:|needs a path",
            "file|needs a path",
            "devmem:|needs a path",
            "uio|needs a device name",
            "uio:../../etc|uio device name '../../etc' must be a plain file name",
            "uio:a/b|uio device name 'a/b' must be a plain file name",
            "uio:uio0:x|uio map 'x' is not a map number",
            "uio:uio0:-1|uio map '-1' is not a map number",
            "dma-heap:|needs a heap name",
            "dma-heap:../mem|dma-heap name '../mem' must be a plain file name",
            "memfd:big|memfd takes no argument",
            // a colon with nothing after it is still an argument, not the bare kind
            "memfd:|memfd takes no argument",
            "reserved:|needs a region name",
    })
    void parse_refusesAMalformedSpec_inOneLineListingTheForms(String text, String reason) {
        UsageFailure e = assertThrows(UsageFailure.class, () -> CarveoutSpec.parse(text));
        assertEquals("carveout '" + text + "': " + reason + FORMS, e.getMessage());
    }
}
