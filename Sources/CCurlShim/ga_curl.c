#include "ga_curl.h"

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
