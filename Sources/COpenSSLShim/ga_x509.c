#include "ga_x509.h"
#include "ga_internal.h"
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/ct.h>
#include <openssl/x509v3.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* Whatever string type the certificate used (UTF8String, BMPString, PrintableString…). */
void ga_common_name(const X509_NAME *name, char *out, size_t size) {
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

/* Without ESC_MSB, OpenSSL writes "Tỉnh" instead of "T\xE1\xBB\x89nh". */
void ga_distinguished_name(const X509_NAME *name, char *out, size_t size) {
    out[0] = 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio) return;
    if (name) X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    bio_text(bio, out, size);
    BIO_free(bio);
}

long long ga_asn1_to_unix(const ASN1_TIME *t) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return (long long)timegm(&tm);
}

static X509 *parse(const unsigned char *der, size_t len) {
    const unsigned char *p = der;
    X509 *c = der && len ? d2i_X509(NULL, &p, (long)len) : NULL;
    ERR_clear_error();
    return c;
}

static const char *key_name(EVP_PKEY *key) {
    if (!key) return "none";
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: case EVP_PKEY_RSA_PSS: return "RSA";
    case EVP_PKEY_EC: return "EC";
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_ED448: return "Ed448";
    case EVP_PKEY_DSA: return "DSA";
    default: return "other";
    }
}

/* RFC 7633: the TLS feature extension is a SEQUENCE OF INTEGER; 5 is status_request. */
static int must_staple(X509 *c) {
    int found = 0;
    STACK_OF(ASN1_INTEGER) *features = X509_get_ext_d2i(c, NID_tlsfeature, NULL, NULL);
    for (int i = 0; features && i < sk_ASN1_INTEGER_num(features); i++) {
        if (ASN1_INTEGER_get(sk_ASN1_INTEGER_value(features, i)) == 5) found = 1;
    }
    sk_ASN1_INTEGER_pop_free(features, ASN1_INTEGER_free);
    return found;
}

static int embedded_scts(X509 *c) {
    if (X509_get_ext_by_NID(c, NID_ct_precert_scts, -1) < 0) return 0;
    STACK_OF(SCT) *scts = X509_get_ext_d2i(c, NID_ct_precert_scts, NULL, NULL);
    int n = scts ? sk_SCT_num(scts) : -1;
    SCT_LIST_free(scts);
    return n;
}

static size_t alt_names(X509 *c, char *buf, size_t size);

int ga_x509_describe(const unsigned char *der, size_t len, ga_x509_info *out, char *names, size_t names_size) {
    memset(out, 0, sizeof *out);
    X509 *c = parse(der, len);
    if (!c) return 0;
    ga_common_name(X509_get_subject_name(c), out->subject_cn, sizeof out->subject_cn);
    ga_distinguished_name(X509_get_subject_name(c), out->subject, sizeof out->subject);
    ga_common_name(X509_get_issuer_name(c), out->issuer_cn, sizeof out->issuer_cn);
    ga_distinguished_name(X509_get_issuer_name(c), out->issuer, sizeof out->issuer);
    out->not_before = ga_asn1_to_unix(X509_get0_notBefore(c));
    out->not_after = ga_asn1_to_unix(X509_get0_notAfter(c));
    EVP_PKEY *key = X509_get0_pubkey(c);
    snprintf(out->key_type, sizeof out->key_type, "%s", key_name(key));
    out->key_bits = key ? EVP_PKEY_get_bits(key) : 0;
    int nid = X509_get_signature_nid(c);
    snprintf(out->signature, sizeof out->signature, "%s", nid == NID_undef ? "unknown" : OBJ_nid2ln(nid));
    unsigned int n = 0;
    X509_digest(c, EVP_sha256(), out->sha256, &n);
    /* From the certificate itself: same names and a signature its own key verifies (a
       self-signed leaf without keyCertSign is still self-signed). */
    out->self_signed = X509_self_signed(c, 1) == 1;
    out->is_ca = X509_check_ca(c) > 0 && (X509_get_extension_flags(c) & EXFLAG_CA) != 0;
    out->must_staple = must_staple(c);
    out->embedded_scts = embedded_scts(c);
    out->names_need = alt_names(c, names, names_size);
    X509_free(c);
    ERR_clear_error();
    return 1;
}

/* The DNS and IP subject alternative names of `c` into buf, as ga_x509_alt_names says. */
static size_t alt_names(X509 *c, char *buf, size_t size) {
    GENERAL_NAMES *names = X509_get_ext_d2i(c, NID_subject_alt_name, NULL, NULL);
    size_t need = 0;
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        char entry[300];
        if (g->type == GEN_DNS) {
            int l = ASN1_STRING_length(g->d.dNSName);
            const unsigned char *d = ASN1_STRING_get0_data(g->d.dNSName);
            if (l < 0 || l > 253 || memchr(d, 0, (size_t)l)) continue;   /* no DNS name has a NUL or 254+ bytes */
            snprintf(entry, sizeof entry, "DNS:%.*s", l, (const char *)d);
        } else if (g->type == GEN_IPADD) {
            char text[INET6_ADDRSTRLEN] = "";
            int l = ASN1_STRING_length(g->d.iPAddress);
            const unsigned char *d = ASN1_STRING_get0_data(g->d.iPAddress);
            if (!((l == 4 && inet_ntop(AF_INET, d, text, sizeof text)) || (l == 16 && inet_ntop(AF_INET6, d, text, sizeof text)))) continue;
            snprintf(entry, sizeof entry, "IP:%s", text);
        } else {
            continue;
        }
        size_t l = strlen(entry) + 1;
        if (buf && need + l <= size) memcpy(buf + need, entry, l);
        need += l;
    }
    GENERAL_NAMES_free(names);
    return need;
}

size_t ga_x509_alt_names(const unsigned char *der, size_t len, char *buf, size_t size) {
    X509 *c = parse(der, len);
    if (!c) return 0;
    size_t need = alt_names(c, buf, size);
    X509_free(c);
    return need;
}

int ga_x509_matches_host(const unsigned char *der, size_t len, const char *host) {
    X509 *c = parse(der, len);
    if (!c || !host) { X509_free(c); return 0; }
    unsigned char ip[16];
    int literal = inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1;
    int ok = literal ? X509_check_ip_asc(c, host, 0) == 1
        : X509_check_host(c, host, 0, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
    X509_free(c);
    ERR_clear_error();
    return ok;
}

void ga_ocsp_describe(const unsigned char *der, size_t len, const unsigned char *leaf, size_t leaf_len,
                      const unsigned char *issuer, size_t issuer_len, ga_ocsp_info *out) {
    memset(out, 0, sizeof *out);
    out->response_status = -1;
    out->cert_status = -1;
    out->matches_leaf = -1;
    const unsigned char *p = der;
    OCSP_RESPONSE *resp = der && len ? d2i_OCSP_RESPONSE(NULL, &p, (long)len) : NULL;
    if (!resp) { ERR_clear_error(); return; }
    out->response_status = OCSP_response_status(resp);
    OCSP_BASICRESP *basic = out->response_status == OCSP_RESPONSE_STATUS_SUCCESSFUL ? OCSP_response_get1_basic(resp) : NULL;
    if (basic) {
        out->produced_at = ga_asn1_to_unix(OCSP_resp_get0_produced_at(basic));
        out->responses = OCSP_resp_count(basic);
        int index = out->responses > 0 ? 0 : -1;
        X509 *l = parse(leaf, leaf_len), *i = parse(issuer, issuer_len);
        if (l && i && index >= 0) {
            OCSP_CERTID *id = OCSP_cert_to_id(NULL, l, i);
            int found = id ? OCSP_resp_find(basic, id, -1) : -1;
            out->matches_leaf = found >= 0;
            if (found >= 0) index = found;
            OCSP_CERTID_free(id);
        }
        X509_free(l);
        X509_free(i);
        OCSP_SINGLERESP *single = index >= 0 ? OCSP_resp_get0(basic, index) : NULL;
        if (single) {
            int reason = 0;
            ASN1_GENERALIZEDTIME *revoked = NULL, *this_update = NULL, *next_update = NULL;
            out->cert_status = OCSP_single_get0_status(single, &reason, &revoked, &this_update, &next_update);
            out->this_update = ga_asn1_to_unix(this_update);
            out->next_update = ga_asn1_to_unix(next_update);
            out->revoked_at = ga_asn1_to_unix(revoked);
        }
        OCSP_BASICRESP_free(basic);
    }
    OCSP_RESPONSE_free(resp);
    ERR_clear_error();
}

int ga_x509_key_decoded_builtin(const unsigned char *der, size_t len) {
    const unsigned char *p = der;
    X509 *c = der && len ? d2i_X509(NULL, &p, (long)len) : NULL;
    if (!c) { ERR_clear_error(); return -1; }
    EVP_PKEY *key = X509_get0_pubkey(c);
    int builtin = key && EVP_PKEY_get0_provider(key) == NULL;   /* a provided key names its provider */
    X509_free(c);
    ERR_clear_error();
    return builtin;
}
