#include "ga_tls_session.h"
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static void renegotiate(SSL *ssl, int fd, int idle_ms, long long deadline, ga_tls_session_report *out) {
    if (SSL_renegotiate(ssl) != 1) {
        out->renegotiation = GA_RENEG_REFUSED;
        ga_ssl_error(out->renegotiation_detail, sizeof out->renegotiation_detail, "the client could not start a renegotiation");
        return;
    }
    int rc = ga_tls_drive(ssl, fd, SSL_do_handshake, idle_ms, deadline, "the server closed the connection", out->renegotiation_detail, sizeof out->renegotiation_detail);
    if (rc == GA_TLS_OK && !SSL_renegotiate_pending(ssl)) out->renegotiation = GA_RENEG_ACCEPTED;
    else if (rc == GA_TLS_IDLE || rc == GA_TLS_DEADLINE) {
        out->renegotiation = GA_RENEG_SILENT;
        snprintf(out->renegotiation_detail, sizeof out->renegotiation_detail, "no answer to the renegotiation hello");
    } else {
        out->renegotiation = GA_RENEG_REFUSED;
        if (!out->renegotiation_detail[0]) snprintf(out->renegotiation_detail, sizeof out->renegotiation_detail, "refused");
    }
}

static void keep_session(SSL *ssl, ga_tls_session_report *out) {
    SSL_SESSION *s = SSL_get1_session(ssl);
    if (!s) return;
    unsigned int id_length = 0;
    SSL_SESSION_get_id(s, &id_length);
    out->session_id_length = (int)id_length;
    out->has_ticket = SSL_SESSION_has_ticket(s);
    int n = i2d_SSL_SESSION(s, NULL);
    if (n > 0 && (out->session = malloc((size_t)n)) != NULL) {
        unsigned char *p = out->session;
        out->session_length = (size_t)i2d_SSL_SESSION(s, &p);
    }
    SSL_SESSION_free(s);
}

static SSL_CTX *new_session_context(int flags) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) return NULL;
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_cert_verify_callback(ctx, ga_skip_verification, NULL);
    if (flags & GA_SESSION_TLS13) {
        SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
        SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    } else {
        SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
        SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    }
    /* Renegotiate whether or not the server supports RFC 5746: what it does is the fact. */
    SSL_CTX_set_options(ctx, SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION | SSL_OP_LEGACY_SERVER_CONNECT
                        | ((flags & GA_SESSION_NO_TICKET) ? SSL_OP_NO_TICKET : 0));
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, ga_count_ticket);
    return ctx;
}

/* One context per kind (TLS 1.3 or not, ticket or not), made once per process and shared, as
   ga_tls_handshake's are: making one (OpenSSL 3's algorithm fetches) cost more CPU than the
   handshake. Sharing resumes nothing by itself: no session is stored in it (NO_INTERNAL_STORE),
   a resumption sets its session on the SSL, and what a handshake reports goes to its SSL's app
   data. A reference for the caller to free; never freed otherwise. */
static pthread_mutex_t session_ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static SSL_CTX *session_ctx[4];

static SSL_CTX *shared_session_context(int flags) {
    int kind = flags & (GA_SESSION_TLS13 | GA_SESSION_NO_TICKET);
    pthread_mutex_lock(&session_ctx_lock);
    if (!session_ctx[kind]) session_ctx[kind] = new_session_context(flags);
    SSL_CTX *ctx = session_ctx[kind];
    if (ctx) SSL_CTX_up_ref(ctx);
    pthread_mutex_unlock(&session_ctx_lock);
    return ctx;
}

int ga_tls_session(int fd, const char *sni, int flags, const unsigned char *session, size_t session_length,
                   int idle_ms, int quiet_ms, int total_ms, ga_tls_session_report *out) {
    ga_ignore_sigpipe();
    memset(out, 0, sizeof *out);
    ERR_clear_error();
    long long deadline = ga_now_ms() + total_ms;
    SSL_CTX *ctx = shared_session_context(flags);
    if (!ctx) { ga_ssl_error(out->error, sizeof out->error, "SSL_CTX_new failed"); return GA_TLS_FAILED; }
    SSL *ssl = SSL_new(ctx);
    int rc = GA_TLS_FAILED;
    if (!ssl) { ga_ssl_error(out->error, sizeof out->error, "SSL_new failed"); goto done; }
    SSL_set_app_data(ssl, &out->tickets);
    SSL_set_fd(ssl, fd);
    if (sni) SSL_set_tlsext_host_name(ssl, sni);
    if (session && session_length > 0) {
        const unsigned char *p = session;
        SSL_SESSION *s = d2i_SSL_SESSION(NULL, &p, (long)session_length);
        if (!s) { ga_ssl_error(out->error, sizeof out->error, "the stored session does not decode"); goto done; }
        SSL_set_session(ssl, s);
        SSL_SESSION_free(s);
    }
    rc = ga_tls_drive(ssl, fd, SSL_connect, idle_ms, deadline, "the server closed the connection", out->error, sizeof out->error);
    if (rc != GA_TLS_OK) goto done;
    snprintf(out->protocol, sizeof out->protocol, "%s", SSL_get_version(ssl));
    out->session_reused = SSL_session_reused(ssl);
    if ((flags & GA_SESSION_READ_TICKETS) && SSL_version(ssl) == TLS1_3_VERSION) ga_tls_read_tickets(ssl, fd, quiet_ms, deadline, &out->tickets);
    keep_session(ssl, out);
    if (flags & GA_SESSION_RENEGOTIATE) renegotiate(ssl, fd, idle_ms, deadline, out);
    SSL_shutdown(ssl);
done:
    if (ssl) out->bytes_received = (long long)BIO_number_read(SSL_get_rbio(ssl));
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return rc;
}

void ga_tls_session_free(ga_tls_session_report *out) {
    free(out->session);
    out->session = NULL;
    out->session_length = 0;
}
