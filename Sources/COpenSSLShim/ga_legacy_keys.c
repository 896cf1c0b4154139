/* RSA public keys decoded by OpenSSL's own (legacy) code instead of its provider decoders.

   OpenSSL 3.0 decodes the public key of every certificate it parses (d2i_X509, the server's
   chain in each handshake, a stored session) through OSSL_DECODER_CTX_new_for_pkey, which walks
   every decoder and key manager of the loaded providers each time: 160 us per certificate on
   these machines, 13 us by the legacy decoder, and a fifth of a TLS scan's CPU. 3.0 takes the
   legacy decoder only when an ENGINE claims the key type, so this registers one that claims
   RSA and hands back OpenSSL's built-in RSA method: the same code 1.1.1 ran, with the same
   results. Registered when the program loads, so libcurl's handshakes benefit too. Keys of other
   types (EC, RSA-PSS, Ed25519) still go through the providers. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/opensslconf.h>
#ifndef OPENSSL_NO_ENGINE
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>

static const int claimed[] = { EVP_PKEY_RSA };

static int builtin_methods(ENGINE *e, EVP_PKEY_METHOD **method, const int **nids, int nid) {
    (void)e;
    if (!method) {
        *nids = claimed;
        return (int)(sizeof claimed / sizeof claimed[0]);
    }
    *method = nid == EVP_PKEY_RSA ? (EVP_PKEY_METHOD *)EVP_PKEY_meth_find(nid) : NULL;
    return *method != NULL;
}

__attribute__((constructor)) static void claim_rsa_keys(void) {
    ENGINE *e = ENGINE_new();
    if (e && ENGINE_set_id(e, "govaudit-builtin-rsa") && ENGINE_set_name(e, "OpenSSL's built-in RSA keys")
        && ENGINE_set_pkey_meths(e, builtin_methods)) {
        ENGINE_register_pkey_meths(e);
    }
    /* Never freed: the method table holds the pointer without a reference of its own. */
    ERR_clear_error();   /* without it, certificates are decoded the slow way: nothing else changes */
}
#endif
