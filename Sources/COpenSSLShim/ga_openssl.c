#include "ga_openssl.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

const char *ga_openssl_version(void) { return OpenSSL_version(OPENSSL_VERSION); }

int ga_sha256(const void *data, size_t len, unsigned char out[32]) {
    unsigned int outlen = 0;
    return EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL);
}

int ga_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len, unsigned char out[32]) {
    unsigned int outlen = 0;
    /* HMAC() takes a non-NULL key pointer even for an empty key. */
    static const unsigned char empty = 0;
    return HMAC(EVP_sha256(), keylen ? key : &empty, (int)keylen, data, len, out, &outlen) != NULL && outlen == 32;
}

int ga_ssl_ctx_set_min_proto(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_min_proto_version(ctx, v); }
int ga_ssl_ctx_set_max_proto(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_max_proto_version(ctx, v); }
int ga_ssl_set_sni(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }

static const char *key_name(EVP_PKEY *key) {
    if (!key) return "none";
    int id = EVP_PKEY_get_base_id(key);
    return id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC" : id == EVP_PKEY_ED25519 ? "Ed25519" : id == EVP_PKEY_DSA ? "DSA" : "other";
}

static long long asn1_to_unix(const ASN1_TIME *t);

/* Copies what a memory BIO holds into out (NUL-terminated), cut at a UTF-8 character boundary. */
static void bio_text(BIO *bio, char *out, size_t size) {
    char *data = NULL;
    long n = bio ? BIO_get_mem_data(bio, &data) : 0;
    size_t len = n > 0 ? (size_t)n : 0;
    if (len >= size) {
        len = size - 1;
        while (len > 0 && ((unsigned char)data[len] & 0xC0) == 0x80) len--;
    }
    if (len) memcpy(out, data, len);
    out[len] = 0;
}

/* The common name as UTF-8, whatever string type the certificate used (UTF8String, BMPString,
   PrintableString…); control characters escaped as \XX. Empty when there is none. */
static void common_name(const X509_NAME *name, char *out, size_t size) {
    out[0] = 0;
    int i = name ? X509_NAME_get_index_by_NID(name, NID_commonName, -1) : -1;
    if (i < 0) return;
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio) return;
    ASN1_STRING_print_ex(bio, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)),
                         ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_UTF8_CONVERT);
    bio_text(bio, out, size);
    BIO_free(bio);
}

/* The whole name in RFC 2253 form (CN=…,O=…,C=VN) as UTF-8: without ESC_MSB, OpenSSL writes
   "Tỉnh" instead of "T\xE1\xBB\x89nh"; control characters stay escaped. */
static void distinguished_name(const X509_NAME *name, char *out, size_t size) {
    out[0] = 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio) return;
    if (name) X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    bio_text(bio, out, size);
    BIO_free(bio);
}

/* One line per certificate of the chain as sent, fields separated by '|'. */
static void describe_chain(STACK_OF(X509) *chain, char *out, size_t size) {
    size_t used = 0;
    for (int i = 0; chain && i < sk_X509_num(chain); i++) {
        X509 *c = sk_X509_value(chain, i);
        char subject[256] = "", issuer[256] = "";
        common_name(X509_get_subject_name(c), subject, sizeof subject);
        common_name(X509_get_issuer_name(c), issuer, sizeof issuer);
        EVP_PKEY *key = X509_get0_pubkey(c);
        int w = snprintf(out + used, size - used, "%s|%s|%lld|%lld|%s|%d|%s\n", subject, issuer,
                         asn1_to_unix(X509_get0_notBefore(c)), asn1_to_unix(X509_get0_notAfter(c)),
                         key_name(key), key ? EVP_PKEY_get_bits(key) : 0, OBJ_nid2ln(X509_get_signature_nid(c)));
        if (w < 0 || (size_t)w >= size - used) break;
        used += (size_t)w;
    }
}

static long long asn1_to_unix(const ASN1_TIME *t) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return (long long)timegm(&tm);
}

/* OpenSSL writes to the socket with write(2): a server that hangs up mid-handshake would kill the
   whole scan with SIGPIPE. Ignored once for the process; the write then fails with EPIPE. */
static void ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

long long ga_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ga_ssl_error(char *out, size_t size, const char *fallback) {
    unsigned long e = ERR_get_error();
    const char *reason = e ? ERR_reason_error_string(e) : NULL;
    snprintf(out, size, "%s", reason ? reason : fallback);
    ERR_clear_error();
}

int ga_tls_drive(SSL *ssl, int fd, int (*step)(SSL *), int idle_ms, long long deadline,
                 const char *closed, char *error, size_t size) {
    for (;;) {
        int rc = step(ssl);
        if (rc == 1) return GA_TLS_OK;
        int err = SSL_get_error(ssl, rc);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
            ga_ssl_error(error, size, err == SSL_ERROR_SYSCALL || err == SSL_ERROR_ZERO_RETURN ? closed : "handshake failed");
            return GA_TLS_FAILED;
        }
        long long left = deadline - ga_now_ms();
        if (left <= 0) return GA_TLS_DEADLINE;
        int wait = left < idle_ms ? (int)left : idle_ms;
        struct pollfd p = { fd, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, 0 };
        int n = poll(&p, 1, wait);
        if (n == 0) return wait == left ? GA_TLS_DEADLINE : GA_TLS_IDLE;
        if (n < 0 && errno != EINTR) {
            snprintf(error, size, "poll: %s", strerror(errno));
            return GA_TLS_FAILED;
        }
    }
}

/* The inspection context for one CA file, made once per process: building it (OpenSSL 3's
 * algorithm fetches and the system store's PEM decoding) cost more CPU than the handshake
 * itself, twice per endpoint. Client sessions are not cached (OpenSSL's default), so sharing it
 * never resumes a session: every inspection is a full handshake. Never freed. */
#define GA_CTX_SLOTS 4
static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { char *cafile; SSL_CTX *ctx; } ctx_cache[GA_CTX_SLOTS];

static SSL_CTX *new_inspection_ctx(const char *cafile) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) return NULL;
    /* Look at whatever the server offers: weak keys, SHA-1 and TLS 1.0 included. */
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    SSL_CTX_set_default_verify_paths(ctx);
    if (cafile && *cafile) SSL_CTX_load_verify_locations(ctx, cafile, NULL);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    return ctx;
}

/* A reference to the shared context for `cafile` (the caller frees it); a context of its own
 * when the few slots are taken by other CA files. */
static SSL_CTX *inspection_ctx(const char *cafile) {
    const char *key = cafile ? cafile : "";
    SSL_CTX *ctx = NULL;
    pthread_mutex_lock(&ctx_lock);
    for (int i = 0; i < GA_CTX_SLOTS && !ctx; i++) {
        if (!ctx_cache[i].ctx) {
            SSL_CTX *made = new_inspection_ctx(cafile);
            char *copy = made ? strdup(key) : NULL;
            if (made && copy) { ctx_cache[i].cafile = copy; ctx_cache[i].ctx = made; ctx = made; }
            else { SSL_CTX_free(made); free(copy); break; }
        } else if (strcmp(ctx_cache[i].cafile, key) == 0) {
            ctx = ctx_cache[i].ctx;
        }
    }
    if (ctx) SSL_CTX_up_ref(ctx);
    pthread_mutex_unlock(&ctx_lock);
    return ctx ? ctx : new_inspection_ctx(cafile);
}

int ga_tls_inspect(int fd, const char *sni, const char *hostname, const char *cafile, int idle_ms, int total_ms,
                   ga_tls_report *out) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ignore_sigpipe);
    memset(out, 0, sizeof *out);
    ERR_clear_error();
    SSL_CTX *ctx = inspection_ctx(cafile);
    if (!ctx) { ga_ssl_error(out->error, sizeof out->error, "SSL_CTX_new failed"); return GA_TLS_FAILED; }
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (sni) SSL_set_tlsext_host_name(ssl, sni);
    SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp);
    int rc = ga_tls_drive(ssl, fd, SSL_connect, idle_ms, ga_now_ms() + total_ms, "the connection closed during the handshake",
                          out->error, sizeof out->error);
    out->bytes_received = (long long)BIO_number_read(SSL_get_rbio(ssl));
    if (rc != GA_TLS_OK) {
        SSL_free(ssl); SSL_CTX_free(ctx);
        ERR_clear_error();
        return rc;
    }
    out->handshake_ok = 1;
    snprintf(out->protocol, sizeof out->protocol, "%s", SSL_get_version(ssl));
    snprintf(out->cipher, sizeof out->cipher, "%s", SSL_CIPHER_standard_name(SSL_get_current_cipher(ssl)));
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    out->chain_length = chain ? sk_X509_num(chain) : 0;
    describe_chain(chain, out->chain, sizeof out->chain);
    out->verify_result = (int)SSL_get_verify_result(ssl);
    snprintf(out->verify_error, sizeof out->verify_error, "%s", X509_verify_cert_error_string(out->verify_result));
    const unsigned char *ocsp = NULL;
    out->ocsp_stapled = SSL_get_tlsext_status_ocsp_resp(ssl, &ocsp) > 0 && ocsp != NULL;
    X509 *leaf = SSL_get1_peer_certificate(ssl);
    if (leaf) {
        common_name(X509_get_subject_name(leaf), out->subject_cn, sizeof out->subject_cn);
        distinguished_name(X509_get_issuer_name(leaf), out->issuer, sizeof out->issuer);
        GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
        size_t used = 0;
        for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
            const GENERAL_NAME *n = sk_GENERAL_NAME_value(names, i);
            if (n->type != GEN_DNS) continue;
            const char *dns = (const char *)ASN1_STRING_get0_data(n->d.dNSName);
            int w = snprintf(out->sans + used, sizeof out->sans - used, "%s%s", used ? "," : "", dns);
            if (w < 0 || (size_t)w >= sizeof out->sans - used) break;
            used += (size_t)w;
        }
        GENERAL_NAMES_free(names);
        out->not_before = asn1_to_unix(X509_get0_notBefore(leaf));
        out->not_after = asn1_to_unix(X509_get0_notAfter(leaf));
        EVP_PKEY *key = X509_get0_pubkey(leaf);
        if (key) {
            int id = EVP_PKEY_get_base_id(key);
            snprintf(out->key_type, sizeof out->key_type, "%s", id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "EC"
                     : id == EVP_PKEY_ED25519 ? "Ed25519" : id == EVP_PKEY_DSA ? "DSA" : "other");
            out->key_bits = EVP_PKEY_get_bits(key);
        }
        snprintf(out->signature, sizeof out->signature, "%s", OBJ_nid2ln(X509_get_signature_nid(leaf)));
        out->self_signed = X509_check_issued(leaf, leaf) == X509_V_OK;
        out->hostname_ok = hostname ? X509_check_host(leaf, hostname, 0, 0, NULL) == 1 : 0;
        X509_free(leaf);
    }
    /* Non-blocking: sends close_notify if it can and returns, never waits for the server's. */
    SSL_shutdown(ssl);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return GA_TLS_OK;
}

int ga_pem_certificates(const void *pem, size_t len, ga_cert_names *out, int max) {
    BIO *bio = BIO_new_mem_buf(pem, len > INT_MAX ? INT_MAX : (int)len);
    if (!bio) return 0;
    int count = 0;
    X509 *cert;
    while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (count < max) {
            common_name(X509_get_subject_name(cert), out[count].subject_cn, sizeof out[count].subject_cn);
            distinguished_name(X509_get_subject_name(cert), out[count].subject, sizeof out[count].subject);
            distinguished_name(X509_get_issuer_name(cert), out[count].issuer, sizeof out[count].issuer);
        }
        count++;
        X509_free(cert);
    }
    /* The loop ends on "no start line" at the end of the input: not an error to keep. */
    ERR_clear_error();
    BIO_free(bio);
    return count;
}
