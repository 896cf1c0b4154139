// Certificates and OCSP responses as DER bytes, described field by field. No I/O: the bytes
// come from a handshake (ga_tls_handshake.h) or a file.
#ifndef GA_X509_H
#define GA_X509_H
#include <stddef.h>

/// One certificate as OpenSSL reads it. Names are UTF-8, control characters escaped.
typedef struct {
    char subject_cn[256];
    char subject[1024];      /* RFC 2253 */
    char issuer_cn[256];
    char issuer[1024];
    long long not_before;    /* seconds since 1970, UTC */
    long long not_after;
    char key_type[16];       /* RSA, EC, Ed25519, Ed448, DSA, other */
    int key_bits;
    char signature[64];      /* OpenSSL's long name: sha256WithRSAEncryption… */
    unsigned char sha256[32];
    int self_signed;         /* subject = issuer and its own key verifies its signature */
    int is_ca;               /* basicConstraints CA:true */
    int must_staple;         /* TLS feature extension asking for status_request (RFC 7633) */
    int embedded_scts;       /* SCTs in the certificate (RFC 6962 §3.3); -1 when the extension does not parse */
    size_t names_need;       /* the bytes its alternative names need (ga_x509_alt_names) */
} ga_x509_info;

/// Fills `out` from `len` DER bytes, and `names` (at most `names_size` bytes) as
/// ga_x509_alt_names would, in one parse: OpenSSL 3 decoding a certificate costs more than the
/// rest together. 1 on success, 0 when they are no certificate. When `out->names_need` exceeds
/// `names_size`, `names` holds only the entries that fit: ask ga_x509_alt_names for all.
int ga_x509_describe(const unsigned char *der, size_t len, ga_x509_info *out, char *names, size_t names_size);

/// The subject alternative names of type DNS and IP, each "DNS:name" or "IP:address" followed by a
/// NUL, into `buf` (at most `size` bytes, whole entries only). Returns the bytes all of them need,
/// so a caller whose buffer was short can ask again; 0 when there are none.
size_t ga_x509_alt_names(const unsigned char *der, size_t len, char *buf, size_t size);

/// Whether OpenSSL decoded the certificate's public key by its built-in (legacy) method rather
/// than through its provider decoders: 1 or 0, -1 when the bytes are no certificate. What
/// ga_legacy_keys.c arranges for RSA keys, and a test holds.
int ga_x509_key_decoded_builtin(const unsigned char *der, size_t len);

/// Whether the certificate names `host` as browsers check it (RFC 6125 as the CA/Browser Forum
/// applies it): subject alternative names only, never the common name; a wildcard only as a
/// whole left-most label; an IP address literal only against IP-address names. 1 or 0.
int ga_x509_matches_host(const unsigned char *der, size_t len, const char *host);

/// A stapled OCSP response (RFC 6960) as read, signature not checked.
typedef struct {
    int response_status;     /* OCSP_RESPONSE_STATUS_* (0 successful); -1: the bytes are no OCSP response */
    int responses;           /* single responses in it */
    int cert_status;         /* of the single response used: 0 good, 1 revoked, 2 unknown; -1 none */
    int matches_leaf;        /* 1: that response is the leaf's; 0: it is not; -1: no issuer to tell */
    long long produced_at, this_update, next_update, revoked_at;   /* 0 when absent */
} ga_ocsp_info;

/// Reads `len` DER bytes of an OCSP response. The single response used is the leaf's when the
/// issuer's DER is given and one matches, else the first.
void ga_ocsp_describe(const unsigned char *der, size_t len, const unsigned char *leaf, size_t leaf_len,
                      const unsigned char *issuer, size_t issuer_len, ga_ocsp_info *out);

#endif
