#include "ga_openssl.h"
#include "ga_internal.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/err.h>
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
