// Typed wrappers for libcurl's variadic and macro APIs, which Swift cannot call directly.
#ifndef GA_CURL_H
#define GA_CURL_H
#include <curl/curl.h>

/// libcurl's run-time version string, e.g. "7.88.1".
const char *ga_curl_version(void);
/// The TLS backend libcurl was built with, e.g. "OpenSSL/3.0.19".
const char *ga_curl_ssl_version(void);

CURLcode ga_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ga_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ga_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ga_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ga_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
/// Write and header callbacks share libcurl's write-callback signature.
typedef size_t (*ga_curl_write_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
CURLcode ga_curl_setopt_write_callback(CURL *handle, CURLoption option, ga_curl_write_cb callback);
/// The upload (read) callback: fills `ptr` with at most size*nmemb bytes, returns how many (0: done).
typedef size_t (*ga_curl_read_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
CURLcode ga_curl_setopt_read_callback(CURL *handle, ga_curl_read_cb callback);
CURLcode ga_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ga_curl_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode ga_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value);

/// The address filter's and the connection gate's hooks into libcurl. `check` is asked about
/// every socket libcurl is about to open, with the numeric address (4 or 16 bytes) and its text;
/// 0 refuses it (libcurl then fails with CURLE_COULDNT_CONNECT and never connects); it may block
/// until a connection slot is free. `opened` then tells the socket made for it (-1: none could be
/// made), `closed` each socket libcurl closes. Other address families are refused unasked.
typedef int (*ga_curl_address_check)(void *context, const unsigned char *bytes, size_t count, const char *text);
typedef void (*ga_curl_socket_event)(void *context, curl_socket_t socket);
typedef struct {
    ga_curl_address_check check;
    ga_curl_socket_event opened;
    ga_curl_socket_event closed;
    void *context;
} ga_curl_socket_guard;
/// Installs `guard` (which must outlive the handle) as the handle's open- and close-socket functions.
CURLcode ga_curl_guard_sockets(CURL *handle, ga_curl_socket_guard *guard);

#endif
