package dev.mdtload.elf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's per-header predicates (kernel-facts.md §2, §3), on flag values seen in the real images. */
class ProgramHeaderTest {
    private static ProgramHeader phdr(long type, long flags, long memsz) {
        return new ProgramHeader(2, type, flags, 0x3000, 0, 0x4b000000L, 16, memsz, 0x1000);
    }

    @Test
    void qcomType_isBits24To26OfFlags() {
        assertEquals(7, phdr(0, 0x0700_0000L, 0).qcomType());
        assertEquals(2, phdr(0, 0x0220_0000L, 4096).qcomType());
        // bit 27 (relocatable) and bit 31 are outside the type field: venus.mbn segment 2 has 0x88000005
        assertEquals(0, phdr(1, 0x8800_0005L, 16).qcomType());
    }

    @Test
    void isLoadable_needsPtLoadNotHashAndMemsz() {
        assertTrue(phdr(1, 5, 16).isLoadable());
        assertFalse(phdr(0, 5, 16).isLoadable(), "PT_NULL");
        assertFalse(phdr(1, 5, 0).isLoadable(), "p_memsz 0");
        assertFalse(phdr(1, 0x0200_0005L, 16).isLoadable(), "a PT_LOAD hash segment is still the hash segment");
        assertTrue(phdr(1, 0x0200_0005L, 16).isHashSegment());
    }

    @Test
    void isRelocatable_isBit27() {
        assertTrue(phdr(1, 0x0800_0007L, 16).isRelocatable());
        assertTrue(phdr(1, 0x8800_0005L, 16).isRelocatable());
        assertFalse(phdr(1, 0x8000_0005L, 16).isRelocatable());
    }

    @Test
    void permissions_readPfBits() {
        assertEquals("R-X", phdr(1, 5, 16).permissions());
        assertEquals("RWX", phdr(1, 7, 16).permissions());
        assertEquals("RW-", phdr(1, 6, 16).permissions());
    }
}
