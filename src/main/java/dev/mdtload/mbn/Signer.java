package dev.mdtload.mbn;

/**
 * Signs the hash segment of an image {@link ImageAssembler} builds. The signed bytes include the
 * header, which records the signature and certificate-chain sizes, so both sizes are asked for
 * before anything is signed.
 */
public interface Signer {
    /** Size of the signature field; a shorter signature (a DER one varies) is padded with zeros. */
    int signatureSize();

    /** The certificate-chain field exactly as it is written, padding included. */
    byte[] certChain();

    /** The signature of {@code signedBytes}: the hash segment from its first byte to the end of its digest table. */
    byte[] sign(byte[] signedBytes);
}
