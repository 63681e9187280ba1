package dev.mdtload.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A second, deliberately plain reader of a single-file image (no {@code .bNN} parts beside it),
 * written from ../shared/firmware/README.md, ../shared/docs/kernel-facts.md and
 * ../shared/docs/mbn-hash-segment.md with ByteBuffers instead of mdtload's layouts. The fuzz
 * target asks it to confirm every image mdtload calls valid: a validator that waves through a
 * broken image (the kernel once treated -EINVAL from a bool function as "valid") fails here.
 */
final class ReferenceReader {
    private static final int PT_LOAD = 1;
    private static final int HASH_TYPE = 2;

    private record Phdr(int index, long type, long flags, long offset, long paddr, long filesz, long memsz) {
        int qcomType() {
            return (int) ((flags >>> 24) & 7);
        }

        boolean loadable() {
            return type == PT_LOAD && qcomType() != HASH_TYPE && memsz != 0;
        }
    }

    private ReferenceReader() {}

    /** Throws an AssertionError naming the first kernel or MBN rule that {@code file} breaks. */
    static void requireValid(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        check(file.length >= 52 && b.getInt(0) == 0x464c457f, "ELF magic");
        boolean is64 = b.get(4) == 2;
        check(b.get(4) == 1 || is64, "ELF class");
        check(b.get(5) == 1, "little-endian");
        check(!is64 || file.length >= 64, "ELF64 header fits");
        long phoff = is64 ? b.getLong(32) : u32(b, 28);
        int phentsize = u16(b, is64 ? 54 : 42);
        int phnum = u16(b, is64 ? 56 : 44);
        check(phentsize == (is64 ? 56 : 32), "e_phentsize");
        check(phoff >= 0 && phoff + (long) phnum * phentsize <= file.length, "program headers inside the file");
        List<Phdr> phdrs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            phdrs.add(is64
                    ? new Phdr(i, u32(b, at), u32(b, at + 4), b.getLong(at + 8), b.getLong(at + 24), b.getLong(at + 32), b.getLong(at + 40))
                    : new Phdr(i, u32(b, at), u32(b, at + 24), u32(b, at + 4), u32(b, at + 12), u32(b, at + 16), u32(b, at + 20)));
        }
        List<byte[]> bytes = segmentBytes(file, phdrs);
        checkLoadable(phdrs, is64);
        List<Phdr> hashes = phdrs.stream().filter(p -> p.qcomType() == HASH_TYPE).toList();
        if (!hashes.isEmpty()) {
            check(hashes.size() == 1, "one hash segment");
            Phdr hash = hashes.getFirst();
            check(phnum >= 2 && phdrs.getFirst().type() != PT_LOAD && hash.index() >= 1, "metadata layout");
            // kernel-facts §4: the blob starts with phdrs[0].p_filesz bytes, which the secure world parses as the headers
            check(phdrs.getFirst().filesz() >= phoff + (long) phnum * phentsize, "program header 0 covers the headers");
            checkDigests(bytes.get(hash.index()), phdrs, bytes, hash.index());
        }
    }

    /** README: split when any segment with file bytes reaches past the file; then only the metadata can come from it. */
    private static List<byte[]> segmentBytes(byte[] file, List<Phdr> phdrs) {
        long size = file.length;
        boolean split = phdrs.stream().anyMatch(p -> p.filesz() != 0 && !inside(p.offset(), p.filesz(), size));
        List<byte[]> out = new ArrayList<>();
        for (Phdr p : phdrs) {
            check(p.filesz() >= 0 && p.filesz() <= size, "segment " + p.index() + " p_filesz fits the file");
            if (p.filesz() == 0) {
                out.add(new byte[0]);
            } else if (!split) {
                out.add(Arrays.copyOfRange(file, (int) p.offset(), (int) (p.offset() + p.filesz())));
            } else if (p.index() == 0) {
                out.add(Arrays.copyOfRange(file, 0, (int) p.filesz()));
            } else if (p.qcomType() == HASH_TYPE && p.filesz() == size - phdrs.getFirst().filesz()) {
                // kernel-facts §4: the hash segment right after the headers first, then at p_offset
                out.add(Arrays.copyOfRange(file, (int) phdrs.getFirst().filesz(), file.length));
            } else if (p.qcomType() == HASH_TYPE && inside(p.offset(), p.filesz(), size)) {
                out.add(Arrays.copyOfRange(file, (int) p.offset(), (int) (p.offset() + p.filesz())));
            } else {
                throw new AssertionError("segment " + p.index() + " needs a .bNN part, and there is none");
            }
        }
        return out;
    }

    private static void checkLoadable(List<Phdr> phdrs, boolean is64) {
        List<Phdr> loadable = phdrs.stream().filter(Phdr::loadable).toList();
        check(!loadable.isEmpty(), "a loadable segment");
        for (Phdr p : loadable) {
            check(Long.compareUnsigned(p.filesz(), p.memsz()) <= 0, "segment " + p.index() + " p_filesz <= p_memsz");
            // the end must fit the class's address space: 2^32 for ELF32, 2^64 for ELF64
            long room = is64 ? -p.paddr() : (1L << 32) - p.paddr();
            check(p.paddr() == 0 && is64 || Long.compareUnsigned(p.memsz(), room) <= 0, "segment " + p.index() + " end fits the address space");
        }
        // the kernel copies in table order, zero fill included: no later segment may land on an
        // earlier one's file bytes, which the secure world hashes from memory (zero fill may overlap)
        for (int i = 0; i < loadable.size(); i++) {
            Phdr earlier = loadable.get(i);
            for (int j = i + 1; j < loadable.size(); j++) {
                Phdr later = loadable.get(j);
                boolean lands = Long.compareUnsigned(later.paddr(), earlier.paddr() + earlier.filesz()) < 0
                        && Long.compareUnsigned(earlier.paddr(), later.paddr() + later.memsz()) < 0;
                check(earlier.filesz() == 0 || !lands,
                        "segment " + later.index() + " is not written over the file bytes of segment " + earlier.index());
            }
        }
    }

    private static void checkDigests(byte[] hash, List<Phdr> phdrs, List<byte[]> bytes, int hashIndex) {
        ByteBuffer h = ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN);
        check(hash.length >= 8, "hash header");
        int version = h.getInt(4);
        int headerSize = switch (version) {
            case 3, 5 -> 40;
            case 6 -> 48;
            case 7 -> 64;
            default -> throw new AssertionError("MBN version " + version);
        };
        check(hash.length >= headerSize, "hash header fits");
        long metadata = switch (version) {
            case 6 -> u32(h, 40) + u32(h, 44);
            case 7 -> u32(h, 12) + u32(h, 16);
            default -> 0;
        };
        // e_phnum digests of the version's algorithm, or of the other one (SecTools' v6 with SHA-256)
        int usual = version >= 6 ? 48 : 32;
        int other = usual == 48 ? 32 : 48;
        int length = !phdrs.isEmpty() && u32(h, 20) == (long) phdrs.size() * other ? other : usual;
        long table = headerSize + metadata;
        check(u32(h, 20) == (long) phdrs.size() * length, "digest table holds e_phnum digests");
        check(table + (long) phdrs.size() * length <= hash.length, "digest table inside the hash segment");
        MessageDigest md = digest(length == 48 ? "SHA-384" : "SHA-256");
        for (Phdr p : phdrs) {
            int at = (int) (table + (long) p.index() * length);
            byte[] entry = Arrays.copyOfRange(hash, at, at + length);
            // the hash segment's own entry and those of segments without bytes are never compared
            // by the secure world (a warning in mdtload, not a refusal)
            if (p.index() != hashIndex && p.filesz() != 0) {
                check(Arrays.equals(entry, md.digest(bytes.get(p.index()))), "digest of segment " + p.index());
            }
        }
    }

    private static boolean inside(long offset, long length, long size) {
        return offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(name + " is required of every JDK", e);
        }
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static void check(boolean holds, String rule) {
        if (!holds) {
            throw new AssertionError("mdtload accepted an image that breaks: " + rule);
        }
    }
}
