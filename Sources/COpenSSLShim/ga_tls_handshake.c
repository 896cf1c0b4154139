#include "ga_tls_handshake.h"
#include "ga_openssl.h"
#include "ga_internal.h"
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/ct.h>
#include <openssl/x509v3.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ga_tls_connection {
    SSL_CTX *ctx;
    SSL *ssl;
    int count;
    unsigned char **der;
    int *len;
};

/* TLS 1.3 picks the certificate by signature algorithm, TLS 1.2 by the suite's authentication. */
static void restrict_keys(SSL *ssl, int keys) {
    if (keys == GA_TLS_KEYS_RSA) {
        SSL_set1_sigalgs_list(ssl, "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:"
                                   "RSA+SHA256:RSA+SHA384:RSA+SHA512:RSA+SHA1");
        SSL_set_cipher_list(ssl, "aRSA:@SECLEVEL=0");
    } else if (keys == GA_TLS_KEYS_ECDSA) {
        SSL_set1_sigalgs_list(ssl, "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ECDSA+SHA1");
        SSL_set_cipher_list(ssl, "aECDSA:@SECLEVEL=0");
    }
}

static void session_free(ga_tls_connection *s) {
    if (!s) return;
    for (int i = 0; i < s->count; i++) OPENSSL_free(s->der[i]);
    free(s->der);
    free(s->len);
    if (s->ssl) SSL_free(s->ssl);
    if (s->ctx) SSL_CTX_free(s->ctx);
    free(s);
    ERR_clear_error();
}

/* The chain as sent, copied out as DER so it outlives nothing of OpenSSL's. */
static int copy_chain(ga_tls_connection *s) {
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(s->ssl);
    int n = chain ? sk_X509_num(chain) : 0;
    s->der = calloc(n ? (size_t)n : 1, sizeof *s->der);
    s->len = calloc(n ? (size_t)n : 1, sizeof *s->len);
    if (!s->der || !s->len) return 0;
    for (int i = 0; i < n; i++) {
        unsigned char *p = NULL;
        int l = i2d_X509(sk_X509_value(chain, i), &p);
        if (l <= 0) return 0;
        s->der[i] = p;   /* OPENSSL_malloc'd: freed with OPENSSL_free */
        s->len[i] = l;
        s->count = i + 1;
    }
    return 1;
}

static int accept_any_scts(const CT_POLICY_EVAL_CTX *ctx, const STACK_OF(SCT) *scts, void *arg) {
    (void)ctx; (void)scts; (void)arg;
    return 1;   /* SCTs are counted, never enforced: judging them is the rules' */
}

/* The context for one CA file, made once per process: building it (OpenSSL 3's algorithm
   fetches, the system store's PEM decoding) cost more CPU than the handshake itself. Client
   sessions are not cached (OpenSSL's default), so sharing it never resumes a session; whatever
   differs per handshake (SNI, key types, SCTs) is set on the SSL. Never freed. */
#define GA_CTX_SLOTS 4
static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { char *cafile; SSL_CTX *ctx; } ctx_cache[GA_CTX_SLOTS];

/* The system's trusted certificates, from the same file and hashed folder as
   SSL_CTX_set_default_verify_paths (SSL_CERT_FILE and SSL_CERT_DIR included), without the
   OSSL_STORE lookup OpenSSL 3 adds there: on every name missing from the store, which every leaf
   is, it lists the whole folder (hundreds of entries, twice per handshake verified). */
static void trust_system_store(X509_STORE *store) {
    const char *file = getenv(X509_get_default_cert_file_env());
    const char *dir = getenv(X509_get_default_cert_dir_env());
    X509_STORE_load_file(store, file ? file : X509_get_default_cert_file());
    X509_STORE_load_path(store, dir ? dir : X509_get_default_cert_dir());
    ERR_clear_error();   /* a system without the file or the folder trusts only the CA file given */
}

static SSL_CTX *new_context(const char *cafile) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) return NULL;
    /* Look at whatever the server offers: weak keys, SHA-1 and TLS 1.0 included. Whether the
       chain is good enough is asked afterwards (ga_tls_verify), at the level the caller names. */
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_cipher_list(ctx, "ALL:!aNULL:@SECLEVEL=0");
    trust_system_store(SSL_CTX_get_cert_store(ctx));
    if (cafile && *cafile) SSL_CTX_load_verify_locations(ctx, cafile, NULL);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_cert_verify_callback(ctx, ga_skip_verification, NULL);
    /* Tickets are counted (ga_count_ticket, for the SSLs that ask), never stored. */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, ga_count_ticket);
    return ctx;
}

/* A reference to the shared context for `cafile` (the caller frees it); one of its own when the
   few slots are taken by other CA files. */
static SSL_CTX *shared_context(const char *cafile) {
    const char *key = cafile ? cafile : "";
    SSL_CTX *ctx = NULL;
    pthread_mutex_lock(&ctx_lock);
    for (int i = 0; i < GA_CTX_SLOTS && !ctx; i++) {
        if (!ctx_cache[i].ctx) {
            SSL_CTX *made = new_context(cafile);
            char *copy = made ? strdup(key) : NULL;
            if (made && copy) { ctx_cache[i].cafile = copy; ctx_cache[i].ctx = made; ctx = made; }
            else { SSL_CTX_free(made); free(copy); break; }
        } else if (strcmp(ctx_cache[i].cafile, key) == 0) {
            ctx = ctx_cache[i].ctx;
        }
    }
    if (ctx) SSL_CTX_up_ref(ctx);
    pthread_mutex_unlock(&ctx_lock);
    return ctx ? ctx : new_context(cafile);
}

int ga_tls_handshake(int fd, const char *sni, const char *cafile, int keys, int idle_ms, int total_ms,
                     ga_tls_tickets *tickets, int quiet_ms,
                     ga_tls_connection **out, char *error, size_t error_size, long long *bytes_received) {
    ga_ignore_sigpipe();
    *out = NULL;
    *bytes_received = 0;
    error[0] = 0;
    ERR_clear_error();
    ga_tls_connection *s = calloc(1, sizeof *s);
    if (!s || !(s->ctx = shared_context(cafile))) {
        ga_ssl_error(error, error_size, "SSL_CTX_new failed");
        session_free(s);
        return GA_TLS_FAILED;
    }
    s->ssl = SSL_new(s->ctx);
    if (!s->ssl) { ga_ssl_error(error, error_size, "SSL_new failed"); session_free(s); return GA_TLS_FAILED; }
    SSL_set_fd(s->ssl, fd);
    if (sni) SSL_set_tlsext_host_name(s->ssl, sni);
    SSL_set_tlsext_status_type(s->ssl, TLSEXT_STATUSTYPE_ocsp);
    SSL_set_ct_validation_callback(s->ssl, accept_any_scts, NULL);
    restrict_keys(s->ssl, keys);
    if (tickets) { memset(tickets, 0, sizeof *tickets); SSL_set_app_data(s->ssl, tickets); }
    long long deadline = ga_now_ms() + total_ms;
    int rc = ga_tls_drive(s->ssl, fd, SSL_connect, idle_ms, deadline,
                          "the connection closed during the handshake", error, error_size);
    if (rc == GA_TLS_OK && tickets && SSL_version(s->ssl) == TLS1_3_VERSION)
        ga_tls_read_tickets(s->ssl, fd, quiet_ms, deadline, tickets);
    SSL_set_app_data(s->ssl, NULL);
    *bytes_received = (long long)BIO_number_read(SSL_get_rbio(s->ssl));
    if (rc != GA_TLS_OK) { session_free(s); return rc; }
    if (!copy_chain(s)) { snprintf(error, error_size, "out of memory copying the chain"); session_free(s); return GA_TLS_FAILED; }
    /* Non-blocking: sends close_notify if it can and returns, never waits for the server's. */
    SSL_shutdown(s->ssl);
    ERR_clear_error();
    *out = s;
    return GA_TLS_OK;
}

const char *ga_tls_protocol(const ga_tls_connection *s) { return SSL_get_version(s->ssl); }

const char *ga_tls_cipher(const ga_tls_connection *s) {
    const char *name = SSL_CIPHER_standard_name(SSL_get_current_cipher(s->ssl));
    return name ? name : "";
}

int ga_tls_peer_count(const ga_tls_connection *s) { return s->count; }

const unsigned char *ga_tls_peer_der(const ga_tls_connection *s, int i, size_t *len) {
    if (i < 0 || i >= s->count) { *len = 0; return NULL; }
    *len = (size_t)s->len[i];
    return s->der[i];
}

const unsigned char *ga_tls_ocsp(const ga_tls_connection *s, size_t *len) {
    const unsigned char *p = NULL;
    long n = SSL_get_tlsext_status_ocsp_resp(s->ssl, &p);
    *len = n > 0 && p ? (size_t)n : 0;
    return *len ? p : NULL;
}

int ga_tls_sct_count(ga_tls_connection *s) {
    const STACK_OF(SCT) *scts = SSL_get0_peer_scts(s->ssl);
    ERR_clear_error();
    return scts ? sk_SCT_num(scts) : 0;
}

int ga_tls_verify(const ga_tls_connection *s, int level, char *error, size_t error_size) {
    STACK_OF(X509) *sent = SSL_get_peer_cert_chain(s->ssl);
    X509 *leaf = sent && sk_X509_num(sent) > 0 ? sk_X509_value(sent, 0) : NULL;
    X509_STORE_CTX *v = leaf ? X509_STORE_CTX_new() : NULL;
    int result = X509_V_ERR_UNSPECIFIED;
    if (v && X509_STORE_CTX_init(v, SSL_CTX_get_cert_store(s->ctx), leaf, sent)) {
        X509_STORE_CTX_set_default(v, "ssl_server");
        X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(v), level);
        result = X509_verify_cert(v) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(v);
        if (result == X509_V_OK && X509_STORE_CTX_get_error(v) != X509_V_OK) result = X509_STORE_CTX_get_error(v);
    }
    X509_STORE_CTX_free(v);
    snprintf(error, error_size, "%s", leaf ? X509_verify_cert_error_string(result) : "no certificate");
    ERR_clear_error();
    return result;
}

int ga_tls_default_security_level(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    int level = ctx ? SSL_CTX_get_security_level(ctx) : -1;
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return level;
}

void ga_tls_free(ga_tls_connection *s) { session_free(s); }
