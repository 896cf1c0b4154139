// Raw RSA public-key encryption for the ROBOT check: the probe lays out each PKCS#1 v1.5 block
// itself, correct or malformed on purpose, and needs it encrypted exactly as laid out (no
// padding added), with the public key of the certificate the server sent.
#ifndef GA_RSA_RAW_H
#define GA_RSA_RAW_H
#include <stddef.h>

/// Why the functions below could not do their job (negative results).
enum {
    GA_RSA_NOT_CERTIFICATE = -1, /* the bytes are no DER X.509 certificate */
    GA_RSA_NOT_RSA = -2,         /* the certificate's key is not RSA */
    GA_RSA_WRONG_LENGTH = -3,    /* the block is not as long as the modulus, or `out` is too small */
    GA_RSA_FAILED = -4           /* OpenSSL refused (the block is not below the modulus, say) */
};

/// The size in bits of the RSA modulus of the DER certificate `der`, or a negative code.
int ga_rsa_modulus_bits(const unsigned char *der, size_t der_len);

/// Encrypts `block` (exactly as long as the modulus) with the certificate's RSA public key and no
/// padding, into `out` (`out_cap` bytes). Returns the ciphertext's length or a negative code;
/// `error` then holds OpenSSL's reason (its error queue is cleared).
int ga_rsa_raw_encrypt(const unsigned char *der, size_t der_len, const unsigned char *block, size_t block_len,
                       unsigned char *out, size_t out_cap, char *error, size_t error_size);

#endif
