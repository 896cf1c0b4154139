// Wrappers for OpenSSL macros and helpers that Swift cannot call directly.
#ifndef GA_OPENSSL_H
#define GA_OPENSSL_H
#include <stddef.h>
#include <openssl/ssl.h>
#include "ga_tls_session.h"
#include "ga_x509.h"

/// OpenSSL's run-time version text, e.g. "OpenSSL 3.0.19 27 Jan 2026".
const char *ga_openssl_version(void);
/// SHA-256 of `len` bytes at `data` into `out` (32 bytes). Returns 1 on success.
int ga_sha256(const void *data, size_t len, unsigned char out[32]);

int ga_ssl_ctx_set_min_proto(SSL_CTX *ctx, int version);
int ga_ssl_ctx_set_max_proto(SSL_CTX *ctx, int version);
int ga_ssl_set_sni(SSL *ssl, const char *name);

/// One certificate's names as UTF-8 (the same formatting as ga_x509_describe's): the common name,
/// and subject and issuer in RFC 2253 form.
typedef struct {
    char subject_cn[256];
    char subject[1024];
    char issuer[1024];
} ga_cert_names;

/// Parses the PEM certificates in `len` bytes at `pem`, fills the names of the first `max`
/// into `out`, and returns how many certificates there are (0: none, or not PEM).
int ga_pem_certificates(const void *pem, size_t len, ga_cert_names *out, int max);

#endif
