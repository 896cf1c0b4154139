// Helpers shared by the shim's C files (not part of its Swift interface).
#ifndef GA_INTERNAL_H
#define GA_INTERNAL_H
#include <stddef.h>
#include <openssl/x509.h>

/// The common name as UTF-8, control characters escaped; empty when there is none.
void ga_common_name(const X509_NAME *name, char *out, size_t size);
/// The whole name in RFC 2253 form as UTF-8, control characters escaped.
void ga_distinguished_name(const X509_NAME *name, char *out, size_t size);
/// An ASN.1 time as seconds since 1970 (UTC); 0 when absent or unreadable.
long long ga_asn1_to_unix(const ASN1_TIME *t);

#endif
