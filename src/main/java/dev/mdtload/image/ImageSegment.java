package dev.mdtload.image;

import dev.mdtload.crypto.FileRegion;
import dev.mdtload.elf.ProgramHeader;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A program header together with where its file bytes come from.
 *
 * @param bytes the segment's file bytes: read from a file, none to read (p_filesz 0), or unavailable
 */
public record ImageSegment(ProgramHeader phdr, Bytes bytes) {

    /** The three states of a segment's file bytes, which used to be a null and an empty segment. */
    public sealed interface Bytes {
        /**
         * Exactly p_filesz bytes of {@code source}, the image itself or its {@code .bNN} part:
         * mapped as {@code data}, and where they lie in the open file as {@code region}, which
         * digests read.
         */
        record Read(Path source, MemorySegment data, FileRegion region) implements Bytes {}

        /** p_filesz is 0: the segment has nothing in any file, and needs nothing. */
        record None() implements Bytes {}

        /** The bytes are cut short, missing or out of range: the image is invalid, and a violation says why. */
        record Unavailable() implements Bytes {}
    }

    static ImageSegment read(ProgramHeader phdr, Bytes.Read bytes) {
        return new ImageSegment(phdr, bytes);
    }

    static ImageSegment none(ProgramHeader phdr) {
        return new ImageSegment(phdr, new Bytes.None());
    }

    static ImageSegment unavailable(ProgramHeader phdr) {
        return new ImageSegment(phdr, new Bytes.Unavailable());
    }

    public int index() {
        return phdr.index();
    }

    /** Whether {@link #data()} may be called: the bytes were read, or there are none to read. */
    public boolean hasData() {
        return !(bytes instanceof Bytes.Unavailable);
    }

    /**
     * Exactly p_filesz bytes: empty when there are none to read.
     *
     * @throws IllegalStateException the bytes are unavailable; only an invalid image has such a segment
     */
    public MemorySegment data() {
        return switch (bytes) {
            case Bytes.Read r -> r.data();
            case Bytes.None n -> MemorySegment.NULL;
            case Bytes.Unavailable u -> throw new IllegalStateException("segment " + index() + " has no bytes to read");
        };
    }

    /** The file the bytes were read from, if they were. */
    public Optional<Path> readFrom() {
        return bytes instanceof Bytes.Read r ? Optional.of(r.source()) : Optional.empty();
    }

    /** The name of the file the bytes were read from, for messages: "-" when none was read. */
    public String sourceName() {
        return readFrom().map(p -> String.valueOf(p.getFileName())).orElse("-");
    }
}
