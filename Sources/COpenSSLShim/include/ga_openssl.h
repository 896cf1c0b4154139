// Wrappers for OpenSSL macros and helpers that Swift cannot call directly.
#ifndef GA_OPENSSL_H
#define GA_OPENSSL_H
#include <stddef.h>
#include <openssl/ssl.h>

/// OpenSSL's run-time version text, e.g. "OpenSSL 3.0.19 27 Jan 2026".
const char *ga_openssl_version(void);
/// SHA-256 of `len` bytes at `data` into `out` (32 bytes). Returns 1 on success.
int ga_sha256(const void *data, size_t len, unsigned char out[32]);
/// HMAC-SHA256 of `len` bytes at `data` under `key` into `out` (32 bytes). Returns 1 on success.
int ga_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len, unsigned char out[32]);

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
    /// Bytes read from the server, whatever the result (what a cut-short handshake got).
    long long bytes_received;
} ga_tls_report;

/// What `ga_tls_inspect` ended with.
enum {
    GA_TLS_FAILED = 0,   /* the handshake failed: `error` says why */
    GA_TLS_OK = 1,       /* the handshake completed and `out` is filled */
    GA_TLS_IDLE = 2,     /* the server sent nothing for `idle_ms` */
    GA_TLS_DEADLINE = 3  /* `total_ms` passed before the handshake completed */
};

/// Handshakes over the connected, non-blocking socket `fd`, sending SNI `sni` when not NULL,
/// and fills `out`. Waits at most `idle_ms` for each step of the server and `total_ms` in all.
int ga_tls_inspect(int fd, const char *sni, const char *hostname, const char *cafile, int idle_ms, int total_ms,
                   ga_tls_report *out);

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

/// Monotonic milliseconds, for deadlines.
long long ga_now_ms(void);
/// OpenSSL's first queued reason into `out` (else `fallback`); the queue is cleared.
void ga_ssl_error(char *out, size_t size, const char *fallback);
/// Runs `step` (SSL_connect or SSL_do_handshake) on the non-blocking socket until it completes,
/// fails, the server is idle for `idle_ms` or `deadline` (monotonic ms) passes, so a server that
/// trickles one byte a second cannot hold a handshake for hours. A connection the server ended
/// fails with `closed`. GA_TLS_OK, GA_TLS_FAILED (reason in `error`), GA_TLS_IDLE or GA_TLS_DEADLINE.
int ga_tls_drive(SSL *ssl, int fd, int (*step)(SSL *), int idle_ms, long long deadline,
                 const char *closed, char *error, size_t size);

#endif
