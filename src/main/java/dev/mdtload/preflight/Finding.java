package dev.mdtload.preflight;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The outcome of one secure-world check.
 *
 * @param check  the check's id when it failed ({@code oem-id-mismatch}), else its name ({@code oem-id})
 * @param detail what was compared: "image OEM_ID 0x0, board 0x1234"
 */
public record Finding(String check, Verdict verdict, String detail) {
    public enum Verdict {
        PASS, FAIL,
        /** The board fact or the image field the check needs is not known. */
        SKIPPED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Finding pass(String check, String detail) {
        return new Finding(check, Verdict.PASS, detail);
    }

    static Finding fail(String check, String detail) {
        return new Finding(check, Verdict.FAIL, detail);
    }

    static Finding skipped(String check, String detail) {
        return new Finding(check, Verdict.SKIPPED, detail);
    }

    public boolean failed() {
        return verdict == Verdict.FAIL;
    }

    /** "oem-id-mismatch: image OEM_ID 0x0, board 0x1234", as a refusal names it. */
    public String line() {
        return check + ": " + detail;
    }
}
