package dev.mdtload.posix;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrnoTest {
    @Test
    void everyName_hasTheTextGlibcGivesItsNumber() {
        // The names come from errno.h; glibc's strerror describes the same numbers, so a wrong
        // number shows up as a description that belongs to another name.
        assertEquals("Permission denied", Libc.strerror(Errno.EACCES.value()));
        assertEquals("Inappropriate ioctl for device", Libc.strerror(Errno.ENOTTY.value()));
        assertEquals("Resource temporarily unavailable", Libc.strerror(Errno.EWOULDBLOCK.value()));
        assertEquals("Value too large for defined data type", Libc.strerror(Errno.EOVERFLOW.value()));
        assertEquals("Operation not supported", Libc.strerror(Errno.EOPNOTSUPP.value()));
        assertEquals("Function not implemented", Libc.strerror(Errno.ENOSYS.value()));
    }

    @Test
    void values_areDistinct_andLookUpToTheirName() {
        Set<Integer> seen = new HashSet<>();
        for (Errno e : Errno.values()) {
            assertTrue(seen.add(e.value()), e + " repeats a number");
            assertEquals(Optional.of(e), Errno.of(e.value()));
        }
        assertEquals(Optional.empty(), Errno.of(4000));
    }
}
