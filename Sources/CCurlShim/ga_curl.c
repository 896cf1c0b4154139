#include "ga_curl.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

const char *ga_curl_version(void) {
    return curl_version_info(CURLVERSION_NOW)->version;
}

const char *ga_curl_ssl_version(void) {
    const char *v = curl_version_info(CURLVERSION_NOW)->ssl_version;
    return v ? v : "";
}

CURLcode ga_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
CURLcode ga_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
CURLcode ga_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
CURLcode ga_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
CURLcode ga_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
CURLcode ga_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
CURLcode ga_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
CURLcode ga_curl_getinfo_string(CURL *h, CURLINFO i, const char **v) { return curl_easy_getinfo(h, i, v); }
CURLcode ga_curl_setopt_write_callback(CURL *h, CURLoption o, ga_curl_write_cb cb) { return curl_easy_setopt(h, o, cb); }
CURLcode ga_curl_setopt_read_callback(CURL *h, ga_curl_read_cb cb) { return curl_easy_setopt(h, CURLOPT_READFUNCTION, cb); }

static curl_socket_t ga_open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a) {
    (void)purpose;
    ga_curl_socket_guard *g = clientp;
    const unsigned char *bytes = NULL;
    size_t count = 0;
    char text[INET6_ADDRSTRLEN] = "";
    if (a->family == AF_INET && a->addrlen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&a->addr;
        bytes = (const unsigned char *)&in->sin_addr;
        count = 4;
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    } else if (a->family == AF_INET6 && a->addrlen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->addr;
        bytes = (const unsigned char *)&in6->sin6_addr;
        count = 16;
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    }
    if (bytes == NULL || !g->check(g->context, bytes, count, text)) return CURL_SOCKET_BAD;
    curl_socket_t s = socket(a->family, a->socktype, a->protocol);
    g->opened(g->context, s);
    return s;
}

static int ga_close_socket(void *clientp, curl_socket_t s) {
    ga_curl_socket_guard *g = clientp;
    int rc = close(s);
    g->closed(g->context, s);
    return rc;
}

CURLcode ga_curl_guard_sockets(CURL *h, ga_curl_socket_guard *guard) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, ga_open_socket);
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, guard);
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, ga_close_socket);
    if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_CLOSESOCKETDATA, guard);
    return rc;
}
