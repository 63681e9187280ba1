package dev.mdtload.testing;

import dev.mdtload.mbn.Signer;

/**
 * Signs with given bytes whatever is signed: for images whose signature is not what a test is
 * about (fuzz seeds, a chain whose key no scheme uses, a blank signature), only a signature field
 * of the right size, such as a real image's own.
 */
public record FixedSigner(byte[] signature, byte[] chain) implements Signer {
    public FixedSigner {
        signature = signature.clone();
        chain = chain.clone();
    }

    @Override
    public int signatureSize() {
        return signature.length;
    }

    @Override
    public byte[] certChain() {
        return chain.clone();
    }

    @Override
    public byte[] sign(byte[] signedBytes) {
        return signature.clone();
    }
}
