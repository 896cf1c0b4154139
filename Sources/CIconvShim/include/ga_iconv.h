// glibc's iconv behind one call, so Swift never handles iconv_t or its in/out pointer pairs.
#ifndef GA_ICONV_H
#define GA_ICONV_H
#include <stddef.h>

enum { GA_ICONV_OK = 0, GA_ICONV_UNKNOWN_CHARSET = -1, GA_ICONV_NO_MEMORY = -2 };

/// Converts `length` bytes of `charset` to UTF-8 in a buffer the caller frees with
/// ga_iconv_free. A byte that does not decode becomes U+FFFD and is counted in *replaced, so a
/// damaged page still reads. Returns GA_ICONV_UNKNOWN_CHARSET when iconv has no such charset.
int ga_iconv_to_utf8(const char *charset, const unsigned char *input, size_t length,
                     unsigned char **output, size_t *output_length, size_t *replaced);
void ga_iconv_free(unsigned char *buffer);

#endif
