package dev.mdtload.crypto;

/**
 * A libcrypto call that failed, with the operation and OpenSSL's reason:
 * {@code EVP_MD_fetch(SHA-999) failed: error:0308010C:digital envelope routines::unsupported}.
 * Unchecked: with the algorithms mdtload asks for, only the machine (memory) can make it happen.
 */
final class CryptoException extends RuntimeException {
    CryptoException(String message) {
        super(message);
    }
}
