// Wrappers for OpenSSL macros and helpers that Swift cannot call directly.
#ifndef GA_OPENSSL_H
#define GA_OPENSSL_H
#include <stddef.h>
#include <openssl/ssl.h>

/// OpenSSL's run-time version text, e.g. "OpenSSL 3.0.19 27 Jan 2026".
const char *ga_openssl_version(void);
/// SHA-256 of `len` bytes at `data` into `out` (32 bytes). Returns 1 on success.
int ga_sha256(const void *data, size_t len, unsigned char out[32]);

int ga_ssl_ctx_set_min_proto(SSL_CTX *ctx, int version);
int ga_ssl_ctx_set_max_proto(SSL_CTX *ctx, int version);
int ga_ssl_set_sni(SSL *ssl, const char *name);

#endif
