package dev.mdtload.crypto;

/**
 * A libcrypto call that failed, with the operation and OpenSSL's reason:
 * {@code EVP_MD_fetch(SHA-999) failed: error:0308010C:digital envelope routines::unsupported}.
 * Unchecked: with the algorithms mdtload asks for, only the machine (memory) can make it happen.
 * It stays outside the checked {@code failure.Failure} hierarchy because it is raised inside
 * {@link DigestEngine#digest}, whose JDK twin throws nothing checked and which
 * {@code image.HashPlan} calls from parallel workers; {@code Failure.of} makes it exit 3.
 */
final class CryptoException extends RuntimeException {
    CryptoException(String message) {
        super(message);
    }
}
