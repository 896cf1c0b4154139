// One full OpenSSL handshake over a connected socket, kept open for questions: the certificates
// as sent (DER), the stapled OCSP response, verification at a chosen security level, SCTs.
#ifndef GA_TLS_HANDSHAKE_H
#define GA_TLS_HANDSHAKE_H
#include <stddef.h>
#include "ga_openssl.h"

typedef struct ga_tls_connection ga_tls_connection;

/// Which certificates the client says it can verify: any, or only one key type (to find a
/// server's RSA and ECDSA deployments, one handshake each).
enum { GA_TLS_KEYS_ANY = 0, GA_TLS_KEYS_RSA = 1, GA_TLS_KEYS_ECDSA = 2 };

/// Handshakes over the connected, non-blocking socket `fd` at security level 0 (to see whatever
/// the server offers, TLS 1.0 and weak keys included), asking for a stapled OCSP response and
/// SCTs, sending SNI `sni` when not NULL. Waits at most `idle_ms` for each step of the server and
/// `total_ms` in all. `cafile` (or NULL) is trusted besides the system store. `*bytes_received`
/// says what came, whatever the result. On GA_TLS_OK the caller owns `*out` (ga_tls_free).
/// With `tickets` (else NULL), a TLS 1.3 handshake then reads the server's tickets for at most
/// `quiet_ms` (ga_tls_read_tickets): the 0-RTT check shares this handshake.
int ga_tls_handshake(int fd, const char *sni, const char *cafile, int keys, int idle_ms, int total_ms,
                     ga_tls_tickets *tickets, int quiet_ms,
                     ga_tls_connection **out, char *error, size_t error_size, long long *bytes_received);

const char *ga_tls_protocol(const ga_tls_connection *s);
const char *ga_tls_cipher(const ga_tls_connection *s);
/// Certificates the server sent, and the DER bytes of the i-th (leaf first), owned by `s`.
int ga_tls_peer_count(const ga_tls_connection *s);
const unsigned char *ga_tls_peer_der(const ga_tls_connection *s, int i, size_t *len);
/// The stapled OCSP response's bytes, owned by `s`; NULL when the server stapled nothing.
const unsigned char *ga_tls_ocsp(const ga_tls_connection *s, size_t *len);
/// SCTs received by any route (TLS extension, stapled OCSP, the certificate itself).
int ga_tls_sct_count(ga_tls_connection *s);
/// Verifies the chain as sent against the store at security `level` (purpose: TLS server,
/// hostname aside); the X509_V_* result (0: verifies) and its text.
int ga_tls_verify(const ga_tls_connection *s, int level, char *error, size_t error_size);
/// The security level OpenSSL uses when a client sets none (the distribution's choice).
int ga_tls_default_security_level(void);
void ga_tls_free(ga_tls_connection *s);

#endif
