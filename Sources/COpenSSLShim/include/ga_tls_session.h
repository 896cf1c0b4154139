// Full OpenSSL handshakes for the protocol-feature checks: client-initiated renegotiation,
// resumption by session id and by ticket, TLS 1.3 tickets and their early-data allowance.
#ifndef GA_TLS_SESSION_H
#define GA_TLS_SESSION_H
#include <stddef.h>
#include "ga_openssl.h"

/// What `ga_tls_session` asks for (bits).
enum {
    GA_SESSION_TLS13 = 1,        /* TLS 1.3 only (else TLS 1.2 at most) */
    GA_SESSION_NO_TICKET = 2,    /* ask for no ticket: resumption by session id */
    GA_SESSION_RENEGOTIATE = 4,  /* after the handshake, start a renegotiation */
    GA_SESSION_READ_TICKETS = 8  /* after the handshake, read TLS 1.3 NewSessionTickets */
};

/// How a renegotiation the client started ended.
enum { GA_RENEG_NOT_TRIED = 0, GA_RENEG_ACCEPTED = 1, GA_RENEG_REFUSED = 2, GA_RENEG_SILENT = 3 };

typedef struct {
    char error[256];
    char protocol[16];
    int session_reused;
    /// The session the server gave: its id length, whether it holds a ticket, and its DER
    /// encoding (malloc'd; `ga_tls_session_free` releases it) to offer in a later handshake.
    int session_id_length;
    int has_ticket;
    unsigned char *session;
    size_t session_length;
    int renegotiation;
    char renegotiation_detail[160];
    /// TLS 1.3 NewSessionTickets read, and the largest max_early_data among them.
    ga_tls_tickets tickets;
    long long bytes_received;
} ga_tls_session_report;

/// One handshake over the connected, non-blocking socket `fd`, offering `session` (DER, may be
/// NULL) for resumption; `flags` as above. Each wait is at most `idle_ms`, the reading of
/// tickets at most `quiet_ms`, everything at most `total_ms`. Returns a GA_TLS_* code.
int ga_tls_session(int fd, const char *sni, int flags, const unsigned char *session, size_t session_length,
                   int idle_ms, int quiet_ms, int total_ms, ga_tls_session_report *out);

void ga_tls_session_free(ga_tls_session_report *out);

#endif
