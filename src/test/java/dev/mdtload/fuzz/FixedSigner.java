package dev.mdtload.fuzz;

import dev.mdtload.mbn.Signer;

/**
 * Signs with given bytes whatever is signed: mdtload never checks a signature (the secure world
 * does), so seeds and generated images only need a signature field of the right size, such as a
 * real image's own.
 */
record FixedSigner(byte[] signature, byte[] chain) implements Signer {
    FixedSigner {
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
