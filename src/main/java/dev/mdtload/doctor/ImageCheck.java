package dev.mdtload.doctor;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mdtload.image.ImageReport;
import dev.mdtload.signature.SignatureReport;

import java.nio.file.Path;

/** What doctor learnt about one firmware name a processor requests. */
public sealed interface ImageCheck {
    /** The name as firmware-name gives it. */
    String name();

    Role role();

    /** The processor's main image, or the DTB companion a PAS processor loads and authenticates first. */
    enum Role {
        FIRMWARE("firmware"),
        DTB_COMPANION("dtb companion");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }
    }

    /**
     * Found where the kernel would find it, and judged.
     *
     * @param path      the file the search path leads to
     * @param report    the validate verdict under the board's kernel
     * @param signature the chain and signature verdict, with the root's label
     */
    record Found(String name, Role role, Path path, ImageReport report, SignatureReport signature) implements ImageCheck {}

    /** In no directory of the search path (or not a name at all): its finding says where doctor looked. */
    record Missing(String name, Role role) implements ImageCheck {}
}
