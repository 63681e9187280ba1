package dev.mdtload.posix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PosixExceptionTest {
    @Test
    void message_namesTheCallThePathAndErrno() {
        PosixException e = new PosixException("open(/dev/mem)", 13, "Permission denied");
        assertEquals("open(/dev/mem) failed: EACCES (Permission denied)", e.getMessage());
    }

    @Test
    void message_ofACallWithoutAPath_hasNoParentheses() {
        PosixException e = new PosixException("msync", 12, "Cannot allocate memory");
        assertEquals("msync failed: ENOMEM (Cannot allocate memory)", e.getMessage());
    }

    @Test
    void message_ofAnErrnoOutsideTheTable_showsTheNumber() {
        PosixException e = new PosixException("ioctl(/dev/x)", 133, "Unknown error 133");
        assertEquals("ioctl(/dev/x) failed: errno 133 (Unknown error 133)", e.getMessage());
        assertEquals("errno 133", e.ruleId());
    }
}
