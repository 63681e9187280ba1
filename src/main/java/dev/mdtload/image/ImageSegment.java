package dev.mdtload.image;

import dev.mdtload.elf.ProgramHeader;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A program header together with where its file bytes come from.
 *
 * @param source the file holding the bytes (the image itself or its {@code .bNN} part); null when
 *               the segment has no file bytes or they could not be found
 * @param data   exactly p_filesz bytes, mapped; null when unavailable (the image is then invalid)
 */
public record ImageSegment(ProgramHeader phdr, Path source, MemorySegment data) {
    public int index() {
        return phdr.index();
    }

    public boolean hasData() {
        return data != null;
    }

    /** The file name reported to users, or null. */
    public String sourceName() {
        return source == null ? null : String.valueOf(source.getFileName());
    }
}
