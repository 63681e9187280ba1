package dev.mdtload.mbn;

import dev.mdtload.check.InvalidImageException;
import dev.mdtload.check.Rule;
import dev.mdtload.check.Violation;
import dev.mdtload.elf.ProgramHeader;
import dev.mdtload.files.AtomicFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An image built by {@link ImageAssembler}: its program headers and every segment's file bytes,
 * ready to be written as one squashed {@code .mbn} or as a split {@code .mdt} with its
 * {@code .bNN} parts. Each file is written atomically ({@link AtomicFile}).
 */
public final class Assembled {
    /** The largest Java array, and so the largest squashed image this class can build. */
    private static final long MAX_SQUASHED = Integer.MAX_VALUE - 8;

    private final List<ProgramHeader> phdrs;
    private final List<byte[]> contents;

    /** @param contents the file bytes of each program header, in order (the headers themselves first) */
    Assembled(List<ProgramHeader> phdrs, List<byte[]> contents) {
        if (phdrs.size() != contents.size()) {
            throw new IllegalArgumentException(phdrs.size() + " program headers but " + contents.size() + " segments");
        }
        this.phdrs = List.copyOf(phdrs);
        this.contents = List.copyOf(contents);
    }

    public List<ProgramHeader> programHeaders() {
        return phdrs;
    }

    /**
     * The single-file image: every segment's bytes at its p_offset, zeros between them.
     *
     * @throws IllegalStateException a segment's offset is beyond what one array can hold (2 GiB),
     *                               which only an edited, deliberately broken image has
     */
    public byte[] squashed() {
        long size = 0;
        for (ProgramHeader p : phdrs) {
            int length = contents.get(p.index()).length;
            if (length == 0) {
                continue;
            }
            if (p.p_offset() < 0 || p.p_offset() > MAX_SQUASHED - length) {
                throw new IllegalStateException(String.format(
                        "segment %d at offset 0x%x does not fit one squashed file", p.index(), p.p_offset()));
            }
            size = Math.max(size, p.p_offset() + length);
        }
        byte[] out = new byte[(int) size];
        for (ProgramHeader p : phdrs) {
            byte[] data = contents.get(p.index());
            if (data.length > 0) {
                System.arraycopy(data, 0, out, (int) p.p_offset(), data.length);
            }
        }
        return out;
    }

    /**
     * The {@code .mdt} of the split form: the ELF and program headers immediately followed by the
     * hash segment, as the kernel hands them to the secure world and as real split images ship.
     */
    public byte[] mdt() {
        byte[] headers = contents.get(ImageAssembler.HEADERS_INDEX);
        byte[] hash = phdrs.stream().filter(ProgramHeader::isHashSegment).findFirst()
                .map(p -> contents.get(p.index())).orElse(new byte[0]);
        byte[] out = new byte[headers.length + hash.length];
        System.arraycopy(headers, 0, out, 0, headers.length);
        System.arraycopy(hash, 0, out, headers.length, hash.length);
        return out;
    }

    /** The {@code .bNN} contents, one per program header (empty for a segment without file bytes). */
    public List<byte[]> parts() {
        return contents.stream().map(byte[]::clone).toList();
    }

    public void writeSquashed(Path mbn) throws IOException {
        AtomicFile.write(mbn, true, squashed());
    }

    /**
     * Writes {@code mdt} and a {@code .bNN} beside it for every program header, an empty one for a
     * segment without file bytes (as {@code wpss.b08} is). The parts go first and the {@code .mdt}
     * last, so a reader that sees the new {@code .mdt} also sees its parts.
     *
     * @throws InvalidImageException the image has a program header at index 100 or above, whose
     *                               part no loader can name; nothing is written then
     */
    public void writeSplit(Path mdt) throws IOException, InvalidImageException {
        if (phdrs.size() > PartName.MAX_INDEX + 1) {
            throw new InvalidImageException(Violation.of(Rule.TOO_MANY_PHDRS, mdt.toString(), PartName.MAX_INDEX + 1,
                    phdrs.size() + " program headers: the part of index " + (PartName.MAX_INDEX + 1)
                            + " and above cannot be named .bNN"));
        }
        for (ProgramHeader p : phdrs) {
            AtomicFile.write(PartName.of(mdt, p.index()), true, contents.get(p.index()));
        }
        AtomicFile.write(mdt, true, mdt());
    }
}
