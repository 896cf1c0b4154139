#include "ga_iconv.h"
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

// Room for the worst case: every input byte a 4-byte UTF-8 character or a 3-byte U+FFFD.
static int grow(unsigned char **buf, size_t *cap, size_t used, size_t need) {
    if (*cap - used >= need) return 1;
    size_t next = *cap * 2 + need;
    unsigned char *p = realloc(*buf, next);
    if (!p) return 0;
    *buf = p;
    *cap = next;
    return 1;
}

int ga_iconv_to_utf8(const char *charset, const unsigned char *input, size_t length,
                     unsigned char **output, size_t *output_length, size_t *replaced) {
    *output = NULL;
    *output_length = 0;
    *replaced = 0;
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) return GA_ICONV_UNKNOWN_CHARSET;
    size_t cap = length * 2 + 16, used = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) { iconv_close(cd); return GA_ICONV_NO_MEMORY; }
    char *in = (char *)input;
    size_t left = length;
    while (left > 0) {
        if (!grow(&buf, &cap, used, 64)) { free(buf); iconv_close(cd); return GA_ICONV_NO_MEMORY; }
        char *out = (char *)buf + used;
        size_t room = cap - used;
        size_t rc = iconv(cd, &in, &left, &out, &room);
        used = (size_t)((unsigned char *)out - buf);
        if (rc != (size_t)-1) break;
        if (errno == E2BIG) continue;
        // EILSEQ (invalid) or EINVAL (cut at the end): one replacement character, skip a byte.
        if (!grow(&buf, &cap, used, 3)) { free(buf); iconv_close(cd); return GA_ICONV_NO_MEMORY; }
        memcpy(buf + used, "\xEF\xBF\xBD", 3);
        used += 3;
        in++;
        left--;
        (*replaced)++;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    // Stateful charsets (ISO-2022) end with a shift back to their initial state.
    if (grow(&buf, &cap, used, 64)) {
        char *out = (char *)buf + used;
        size_t room = cap - used;
        iconv(cd, NULL, NULL, &out, &room);
        used = (size_t)((unsigned char *)out - buf);
    }
    iconv_close(cd);
    *output = buf;
    *output_length = used;
    return GA_ICONV_OK;
}

void ga_iconv_free(unsigned char *buffer) { free(buffer); }
