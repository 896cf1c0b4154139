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

/// How a handshake ended (ga_tls_drive, ga_tls_handshake, ga_tls_session).
enum {
    GA_TLS_FAILED = 0,   /* the handshake failed: `error` says why */
    GA_TLS_OK = 1,       /* the handshake completed */
    GA_TLS_IDLE = 2,     /* the server sent nothing for `idle_ms` */
    GA_TLS_DEADLINE = 3  /* `total_ms` passed before the handshake completed */
};

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

/// Ignores SIGPIPE for the process, once: OpenSSL writes to sockets with write(2), and a server
/// that hangs up mid-handshake would otherwise kill the whole scan. The write then fails with EPIPE.
void ga_ignore_sigpipe(void);
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

/// A certificate-verification callback (SSL_CTX_set_cert_verify_callback) that verifies
/// nothing: for contexts whose chains are verified afterwards at the levels asked
/// (ga_tls_verify), or never. Under SSL_VERIFY_NONE OpenSSL still verifies every chain during the
/// handshake and only ignores the result; that was one more verification per handshake.
int ga_skip_verification(X509_STORE_CTX *ctx, void *arg);

/// The TLS 1.3 NewSessionTickets a handshake got: how many, the largest max_early_data among
/// them, and whether they were read at all (the handshake was TLS 1.3 and they were asked for).
typedef struct {
    int read;
    int tickets;
    unsigned int max_early_data;
} ga_tls_tickets;

/// A new-session callback (SSL_CTX_sess_set_new_cb): counts a TLS 1.3 ticket into the
/// ga_tls_tickets that is the SSL's app data, if any. Returns 0: OpenSSL keeps the session.
int ga_count_ticket(SSL *ssl, SSL_SESSION *session);
/// Reads after a TLS 1.3 handshake so that the tickets get processed: until a ticket came and
/// nothing more is waiting, the server closes, or `quiet_ms` passes without one (never past
/// `deadline`). Sets `seen->read`.
void ga_tls_read_tickets(SSL *ssl, int fd, int quiet_ms, long long deadline, ga_tls_tickets *seen);

#endif
