package dev.mdtload.mbn;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest used by a hash segment: SHA-256 up to MBN v5, SHA-384 from v6. */
public enum DigestAlgorithm {
    SHA256("SHA-256", 32),
    SHA384("SHA-384", 48);

    /** Mapped segments are hashed through ByteBuffer views, which cannot exceed 2 GiB each. */
    private static final long CHUNK = 1L << 30;

    private final String jcaName;
    private final int length;

    DigestAlgorithm(String jcaName, int length) {
        this.jcaName = jcaName;
        this.length = length;
    }

    public static DigestAlgorithm forVersion(int mbnVersion) {
        return mbnVersion >= 6 ? SHA384 : SHA256;
    }

    /**
     * The algorithm of a digest table of {@code tableSize} bytes for {@code phnum} program headers:
     * the version's own, unless the table holds exactly one digest of the other per header
     * (SecTools signs v6 with SHA-256 when asked, as qca/msbtfw11.mbn is). A table of neither size
     * is measured against the version's own algorithm, and refused.
     */
    public static DigestAlgorithm of(int mbnVersion, long tableSize, int phnum) {
        DigestAlgorithm usual = forVersion(mbnVersion);
        for (DigestAlgorithm other : values()) {
            if (other != usual && phnum > 0 && tableSize == (long) phnum * other.length) {
                return other;
            }
        }
        return usual;
    }

    /** The JCA name, also the name reported in JSON ("SHA-256" / "SHA-384"). */
    public String jcaName() {
        return jcaName;
    }

    public int length() {
        return length;
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            // every Java SE platform must provide SHA-256 and SHA-384
            throw new AssertionError(jcaName + " missing from this JDK", e);
        }
    }

    /**
     * Digest of the bytes of {@code data}, read in place (a mapped file is hashed without
     * copying it onto the heap).
     */
    public byte[] digest(MemorySegment data) {
        MessageDigest md = newDigest();
        for (long off = 0; off < data.byteSize(); off += CHUNK) {
            md.update(data.asSlice(off, Math.min(CHUNK, data.byteSize() - off)).asByteBuffer());
        }
        return md.digest();
    }

    /** The digest of no bytes at all, which some signing tools write for segments without file bytes. */
    public byte[] emptyDigest() {
        return newDigest().digest();
    }

    @Override
    public String toString() {
        return jcaName;
    }
}
