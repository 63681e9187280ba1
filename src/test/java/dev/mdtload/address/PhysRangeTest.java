package dev.mdtload.address;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhysRangeTest {
    /** The highest number a {@link PhysAddr} holds, 2^63 - 1. */
    private static final long TOP = Long.MAX_VALUE;

    private static PhysRange range(long base, long size) {
        return new PhysRange(PhysAddr.of(base), size);
    }

    /** [0x4b000000, 0x4b000000 + belowSize) against [0x4b040000, 0x4b050000): touching at 0x40000, one byte over at 0x40001. */
    @ParameterizedTest
    @CsvSource({"0x40000, 0", "0x40001, 1"})
    void overlaps_exactlyWhenAByteIsShared_notWhenRangesOnlyTouch_inEitherOrder(long belowSize, long sharedBytes) {
        PhysRange below = range(0x4b00_0000L, belowSize);
        PhysRange above = range(0x4b04_0000L, 0x1_0000);
        Optional<PhysRange> shared = sharedBytes == 0 ? Optional.empty() : Optional.of(range(0x4b04_0000L, sharedBytes));
        assertEquals(shared.isPresent(), below.overlaps(above));
        assertEquals(shared.isPresent(), above.overlaps(below));
        assertEquals(shared, below.intersection(above));
        assertEquals(shared, above.intersection(below));
    }

    @Test
    void intersection_ofARangeInsideAnother_isTheInnerOne() {
        PhysRange outer = range(0x8000_0000L, 0x10_0000);
        PhysRange inner = range(0x8000_1000L, 0x1000);
        assertEquals(Optional.of(inner), outer.intersection(inner));
        assertEquals(Optional.of(inner), inner.intersection(outer));
        assertEquals(Optional.of(outer), outer.intersection(outer));
    }

    @Test
    void aRangeMayEndAtTheLastPhysicalAddress_andOverlapThere() {
        // the end is exclusive and a PhysAddr: byte 2^63 - 1 itself is never inside a range
        PhysRange last = range(TOP - 0xfff, 0xfff);
        assertEquals(PhysAddr.of(TOP), last.end());
        PhysRange lastByte = range(TOP - 1, 1);
        assertTrue(last.overlaps(lastByte));
        assertEquals(Optional.of(lastByte), last.intersection(lastByte));
        assertEquals("[0x7ffffffffffff000, 0x7fffffffffffffff)", last.toString());
    }

    @Test
    void aRangeThatWouldEndPastTheLastPhysicalAddress_isRefused_notWrapped() {
        IllegalArgumentException oneByteTooMany = assertThrows(IllegalArgumentException.class,
                () -> range(TOP - 0xfff, 0x1000));
        assertEquals("range of 0x1000 bytes at phys 0x7ffffffffffff000 is empty or wraps", oneByteTooMany.getMessage());
        // base + size is 2^64 - 1 + 1: as longs it wraps to a small positive number
        assertThrows(IllegalArgumentException.class, () -> range(1, TOP));
        assertThrows(IllegalArgumentException.class, () -> range(TOP, TOP));
        // 2^64 - 4096 is not a physical address at all: PhysAddr stops at 2^63
        assertThrows(IllegalArgumentException.class, () -> range(0xffff_ffff_ffff_f000L, 0x1000));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void anEmptyOrNegativeSize_isRefused_asNoRegionOfNoBytesReservesAnything(long size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> range(0x4b00_0000L, size));
        assertTrue(e.getMessage().endsWith("bytes at phys 0x4b000000 is empty or wraps"), e.getMessage());
    }

    @Test
    void toString_isHalfOpenHex() {
        assertEquals("[0x9ae00000, 0x9c700000)", range(0x9ae0_0000L, 0x190_0000).toString());
    }
}
