package dev.mdtload.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PIL images in a firmware tree, found by what they are rather than by name: a regular file (a
 * symlink is the file it names, counted once) holding an ELF header whose program headers
 * include a QCOM hash segment. Split parts ({@code .bNN}) are not images even when {@code .b00}
 * repeats the headers. Read by the tests' own code, never by mdtload's.
 */
public final class PilImages {
    private static final Pattern PART = Pattern.compile(".*\\.b\\d\\d");
    /** ELF32 and ELF64 program headers keep p_flags at different offsets, and the header's fields too. */
    private static final int HEADER_BYTES = 64;

    private PilImages() {}

    /** Every PIL image under {@code root}, relative to it, sorted. */
    public static List<Path> find(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> images = new ArrayList<>();
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> !Files.isSymbolicLink(p)).sorted().toList()) {
                if (!PART.matcher(p.getFileName().toString()).matches() && hasHashSegment(p)) {
                    images.add(root.relativize(p));
                }
            }
            return images;
        }
    }

    static boolean hasHashSegment(Path file) throws IOException {
        if (Files.size(file) < HEADER_BYTES) {
            return false;
        }
        ByteBuffer le;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes((int) Math.min(Files.size(file), 1 << 20));
            le = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (le.getInt(0) != 0x464c457f) {
            return false;
        }
        boolean elf64 = le.get(4) == 2;
        long phoff = elf64 ? le.getLong(32) : Integer.toUnsignedLong(le.getInt(28));
        int phentsize = Short.toUnsignedInt(le.getShort(elf64 ? 54 : 42));
        int phnum = Short.toUnsignedInt(le.getShort(elf64 ? 56 : 44));
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            int flagsAt = (int) at + (elf64 ? 4 : 24);
            if (flagsAt + 4 > le.capacity()) {
                return false;
            }
            if (((le.getInt(flagsAt) >>> 24) & 7) == 2) {
                return true;
            }
        }
        return false;
    }

    /** The MBN version in the hash segment's header (its second u32). */
    public static int mbnVersion(byte[] hashSegment) {
        return ByteBuffer.wrap(hashSegment).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    }

    /**
     * The certificates of the OEM chain in {@code hashSegment}, attestation certificate first, as
     * the JDK's own X.509 parser reads them: each a DER SEQUENCE, one after another, until the
     * padding that fills the field.
     */
    public static List<X509Certificate> chain(byte[] hashSegment) throws CertificateException {
        byte[] field = RawElf.certChain(hashSegment);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        int at = 0;
        while (at + 4 <= field.length && field[at] == 0x30) {
            int length = derLength(field, at + 1);
            int header = 2 + ((field[at + 1] & 0x80) != 0 ? field[at + 1] & 0x7f : 0);
            int end = at + header + length;
            certs.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(Arrays.copyOfRange(field, at, end))));
            at = end;
        }
        return certs;
    }

    /** The SHA-256 of the chain's root (its last, self-issued certificate), in hex; empty when unsigned. */
    public static Optional<String> rootSha256(byte[] hashSegment) throws CertificateException {
        if (RawElf.signature(hashSegment).length == 0) {
            return Optional.empty();
        }
        List<X509Certificate> chain = chain(hashSegment);
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate root = chain.getLast();
        if (!root.getSubjectX500Principal().equals(root.getIssuerX500Principal())) {
            throw new CertificateException("the chain's last certificate is not self-issued: " + root.getSubjectX500Principal());
        }
        return Optional.of(HexFormat.of().formatHex(RawElf.digest("SHA-256", root.getEncoded())));
    }

    private static int derLength(byte[] b, int at) {
        int first = b[at] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 1; i <= (first & 0x7f); i++) {
            length = (length << 8) | (b[at + i] & 0xff);
        }
        return length;
    }

    /**
     * The kernel's qcom_mdt_get_size(), worked out from {@code elf}: the highest end of a loadable
     * segment rounded up to 4 KiB, minus the lowest p_paddr.
     */
    public static long loadSize(RawElf elf) {
        List<RawElf.Phdr> loadable = elf.phdrs().stream().filter(RawElf.Phdr::isLoadable).toList();
        long min = loadable.stream().mapToLong(RawElf.Phdr::paddr).min().orElse(0);
        long max = loadable.stream().mapToLong(p -> p.paddr() + p.memsz()).max().orElse(0);
        return loadable.isEmpty() ? 0 : ((max + 0xfff) & ~0xfffL) - min;
    }
}
