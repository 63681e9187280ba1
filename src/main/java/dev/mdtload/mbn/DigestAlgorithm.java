package dev.mdtload.mbn;

import dev.mdtload.crypto.DigestEngine;
import dev.mdtload.crypto.FileRegion;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** The digest used by a hash segment: SHA-256 up to MBN v5, SHA-384 from v6. */
public enum DigestAlgorithm {
    SHA256("SHA-256", 32),
    SHA384("SHA-384", 48);

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

    /** The JCA name, which OpenSSL accepts too; also the name reported in JSON ("SHA-256" / "SHA-384"). */
    public String jcaName() {
        return jcaName;
    }

    public int length() {
        return length;
    }

    /** Digest of the bytes of {@code data} (never copied onto the heap), by this process's {@link DigestEngine}. */
    public byte[] digest(MemorySegment data) {
        return DigestEngine.preferred().digest(jcaName, data);
    }

    /**
     * Digest of the bytes of {@code region}, read from its file by this process's {@link DigestEngine}.
     *
     * @throws IOException a read failed, or the file now ends before the region does
     */
    public byte[] digest(FileRegion region) throws IOException {
        return DigestEngine.preferred().digest(jcaName, region);
    }

    /** The digest of no bytes at all, which some signing tools write for segments without file bytes. */
    public byte[] emptyDigest() {
        return digest(MemorySegment.NULL);
    }

    @Override
    public String toString() {
        return jcaName;
    }
}
