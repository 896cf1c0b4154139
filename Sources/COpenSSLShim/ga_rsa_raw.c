#include "ga_rsa_raw.h"
#include "ga_openssl.h"
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdio.h>

/* The certificate's public key when it is RSA (the caller frees it), else NULL and `code`. */
static EVP_PKEY *rsa_key(const unsigned char *der, size_t der_len, int *code) {
    const unsigned char *p = der;
    X509 *cert = d2i_X509(NULL, &p, (long)der_len);
    if (!cert) { ERR_clear_error(); *code = GA_RSA_NOT_CERTIFICATE; return NULL; }
    EVP_PKEY *key = X509_get_pubkey(cert);
    X509_free(cert);
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        ERR_clear_error();
        *code = GA_RSA_NOT_RSA;
        return NULL;
    }
    return key;
}

int ga_rsa_modulus_bits(const unsigned char *der, size_t der_len) {
    int code = 0;
    EVP_PKEY *key = rsa_key(der, der_len, &code);
    if (!key) return code;
    int bits = EVP_PKEY_get_bits(key);
    EVP_PKEY_free(key);
    return bits > 0 ? bits : GA_RSA_FAILED;
}

int ga_rsa_raw_encrypt(const unsigned char *der, size_t der_len, const unsigned char *block, size_t block_len,
                       unsigned char *out, size_t out_cap, char *error, size_t error_size) {
    int code = 0;
    if (error_size) error[0] = 0;
    EVP_PKEY *key = rsa_key(der, der_len, &code);
    if (!key) return code;
    size_t size = (size_t)EVP_PKEY_get_size(key);
    if (block_len != size || out_cap < size) {
        EVP_PKEY_free(key);
        return GA_RSA_WRONG_LENGTH;
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    size_t out_len = out_cap;
    int ok = ctx && EVP_PKEY_encrypt_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1
             && EVP_PKEY_encrypt(ctx, out, &out_len, block, block_len) == 1;
    if (!ok) ga_ssl_error(error, error_size, "RSA encryption failed");
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok ? (int)out_len : GA_RSA_FAILED;
}
