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

/// What one full handshake (OpenSSL, security level 0, any version it can speak) showed.
typedef struct {
    int handshake_ok;
    char error[256];
    char protocol[16];
    char cipher[96];
    int chain_length;
    /// X509_V_OK (0) when the chain verifies to the system store or the extra CA file.
    int verify_result;
    char verify_error[160];
    int hostname_ok;
    int ocsp_stapled;
    char subject_cn[256];
    char issuer[512];
    /// DNS subject alternative names, comma separated.
    char sans[2048];
    long long not_before;
    long long not_after;
    char key_type[16];
    int key_bits;
    char signature[64];
    int self_signed;
    /// Every certificate as sent, one per line: subject CN|issuer CN|notBefore|notAfter|key type|bits|signature.
    char chain[4096];
} ga_tls_report;

/// Handshakes over the connected socket `fd` (timeouts set on it by the caller), sending SNI
/// `sni` when not NULL, and fills `out`. Returns 1 when the handshake completed.
int ga_tls_inspect(int fd, const char *sni, const char *hostname, const char *cafile, ga_tls_report *out);

/// One certificate's names as UTF-8 (the same formatting as ga_tls_inspect's): the common name,
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
