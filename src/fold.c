/* fold.c: folding one part of a word (fold.h). */
#include "fold.h"

#include "err.h"

#include <stdlib.h>
#include <utf8proc.h>

#define FOLD_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | \
                   UTF8PROC_IGNORE)

static utf8proc_int32_t S_map_apostrophe(utf8proc_int32_t c, void *data)
{
    (void)data;
    return (c == 0x2019 || c == 0x02BC) ? '\'' : c;
}

void ns_fold_fast(const unsigned char *u, size_t n, unsigned char *d)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = u[i];
        if (c < 0x80) {
            d[i] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        } else if (c == 0xD0) {
            unsigned char c2 = u[++i];
            if (c2 == 0x81) {                 /* Ё -> е */
                d[i - 1] = 0xD0, d[i] = 0xB5;
            } else if (c2 >= 0x90 && c2 <= 0x9F) { /* А-П -> а-п */
                d[i - 1] = 0xD0, d[i] = (unsigned char)(c2 + 0x20);
            } else if (c2 >= 0xA0 && c2 <= 0xAF) { /* Р-Я -> р-я */
                d[i - 1] = 0xD1, d[i] = (unsigned char)(c2 - 0x20);
            } else {
                d[i - 1] = 0xD0, d[i] = c2;
            }
        } else {                              /* 0xD1: р-я, ё */
            unsigned char c2 = u[++i];
            if (c2 == 0x91)
                d[i - 1] = 0xD0, d[i] = 0xB5;
            else
                d[i - 1] = 0xD1, d[i] = c2;
        }
    }
}

int ns_fold_decompose(int32_t **buf, size_t *cap, const char *s, size_t n, size_t *count)
{
    *count = 0;
    if (n > (size_t)INT32_MAX)
        return NS_ENOMEM;
    utf8proc_ssize_t r;
    for (;;) {
        r = utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, *buf,
                                      (utf8proc_ssize_t)*cap, FOLD_OPTS, S_map_apostrophe, NULL);
        if (r < 0)
            return NS_EUTF8;
        if ((size_t)r <= *cap)
            break;
        /* grow as the analyser's other buffers do: doubling from 16 */
        size_t c = *cap ? *cap : 16;
        while (c < (size_t)r) {
            if (c > SIZE_MAX / 2 / sizeof **buf)
                return NS_ENOMEM;
            c *= 2;
        }
        int32_t *q = realloc(*buf, c * sizeof **buf);
        if (!q)
            return NS_ENOMEM;
        *buf = q;
        *cap = c;
    }
    if (r > 0)
        r = utf8proc_normalize_utf32(*buf, r, FOLD_OPTS);
    if (r < 0)
        return NS_EUTF8;
    *count = (size_t)r;
    return 0;
}

size_t ns_fold_encode(const int32_t *u, size_t count, unsigned char *d)
{
    size_t m = 0;
    for (size_t i = 0; i < count; i++) {
        int32_t c = u[i];
        if (c == 0x451) /* ё: written е as often as not, so both must match */
            c = 0x435;
        m += (size_t)utf8proc_encode_char(c, d + m);
    }
    return m;
}
