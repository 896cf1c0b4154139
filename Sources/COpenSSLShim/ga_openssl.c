#include "ga_openssl.h"
#include "ga_internal.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
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

int ga_pem_certificates(const void *pem, size_t len, ga_cert_names *out, int max) {
    BIO *bio = BIO_new_mem_buf(pem, len > INT_MAX ? INT_MAX : (int)len);
    if (!bio) return 0;
    int count = 0;
    X509 *cert;
    while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (count < max) {
            ga_common_name(X509_get_subject_name(cert), out[count].subject_cn, sizeof out[count].subject_cn);
            ga_distinguished_name(X509_get_subject_name(cert), out[count].subject, sizeof out[count].subject);
            ga_distinguished_name(X509_get_issuer_name(cert), out[count].issuer, sizeof out[count].issuer);
        }
        count++;
        X509_free(cert);
    }
    /* The loop ends on "no start line" at the end of the input: not an error to keep. */
    ERR_clear_error();
    BIO_free(bio);
    return count;
}

static void ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

void ga_ignore_sigpipe(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ignore_sigpipe);
}

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

int ga_count_ticket(SSL *ssl, SSL_SESSION *session) {
    ga_tls_tickets *seen = SSL_get_app_data(ssl);
    if (seen && SSL_version(ssl) == TLS1_3_VERSION) {
        seen->tickets++;
        uint32_t early = SSL_SESSION_get_max_early_data(session);
        if (early > seen->max_early_data) seen->max_early_data = early;
    }
    return 0;
}

void ga_tls_read_tickets(SSL *ssl, int fd, int quiet_ms, long long deadline, ga_tls_tickets *seen) {
    unsigned char buf[1024];
    long long until = ga_now_ms() + quiet_ms;
    if (until > deadline) until = deadline;
    seen->read = 1;
    for (;;) {
        int rc = SSL_read(ssl, buf, sizeof buf);
        if (rc <= 0) {
            int err = SSL_get_error(ssl, rc);
            if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) { ERR_clear_error(); return; }
        }
        long long left = until - ga_now_ms();
        if (left <= 0) return;
        struct pollfd p = { fd, POLLIN, 0 };
        /* Once a ticket came, a short pause is enough for its siblings in the same flight. */
        int wait = seen->tickets > 0 ? (left < 50 ? (int)left : 50) : (int)left;
        if (poll(&p, 1, wait) <= 0) return;
    }
}

int ga_skip_verification(X509_STORE_CTX *ctx, void *arg) {
    (void)ctx; (void)arg;
    return 1;
}
