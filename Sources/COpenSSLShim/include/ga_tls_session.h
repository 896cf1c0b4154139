// One full OpenSSL handshake over a connected socket, kept open for questions: the certificates
// as sent (DER), the stapled OCSP response, verification at a chosen security level, SCTs.
#ifndef GA_TLS_SESSION_H
#define GA_TLS_SESSION_H
#include <stddef.h>

typedef struct ga_tls_session ga_tls_session;

/// Which certificates the client says it can verify: any, or only one key type (to find a
/// server's RSA and ECDSA deployments, one handshake each).
enum { GA_TLS_KEYS_ANY = 0, GA_TLS_KEYS_RSA = 1, GA_TLS_KEYS_ECDSA = 2 };

/// How a handshake ended.
enum {
    GA_TLS_FAILED = 0,   /* the handshake failed: `error` says why */
    GA_TLS_OK = 1,       /* completed: `*out` is the session */
    GA_TLS_IDLE = 2,     /* the server sent nothing for `idle_ms` */
    GA_TLS_DEADLINE = 3  /* `total_ms` passed before the handshake completed */
};

/// Handshakes over the connected, non-blocking socket `fd` at security level 0 (to see whatever
/// the server offers, TLS 1.0 and weak keys included), asking for a stapled OCSP response and
/// SCTs, sending SNI `sni` when not NULL. Waits at most `idle_ms` for each step of the server and
/// `total_ms` in all. `cafile` (or NULL) is trusted besides the system store. `*bytes_received`
/// says what came, whatever the result. On GA_TLS_OK the caller owns `*out` (ga_tls_free).
int ga_tls_handshake(int fd, const char *sni, const char *cafile, int keys, int idle_ms, int total_ms,
                     ga_tls_session **out, char *error, size_t error_size, long long *bytes_received);

const char *ga_tls_protocol(const ga_tls_session *s);
const char *ga_tls_cipher(const ga_tls_session *s);
/// Certificates the server sent, and the DER bytes of the i-th (leaf first), owned by `s`.
int ga_tls_peer_count(const ga_tls_session *s);
const unsigned char *ga_tls_peer_der(const ga_tls_session *s, int i, size_t *len);
/// The stapled OCSP response's bytes, owned by `s`; NULL when the server stapled nothing.
const unsigned char *ga_tls_ocsp(const ga_tls_session *s, size_t *len);
/// SCTs received by any route (TLS extension, stapled OCSP, the certificate itself).
int ga_tls_sct_count(ga_tls_session *s);
/// Verifies the chain as sent against the store at security `level` (purpose: TLS server,
/// hostname aside); the X509_V_* result (0: verifies) and its text.
int ga_tls_verify(const ga_tls_session *s, int level, char *error, size_t error_size);
/// The security level OpenSSL uses when a client sets none (the distribution's choice).
int ga_tls_default_security_level(void);
void ga_tls_free(ga_tls_session *s);

#endif
