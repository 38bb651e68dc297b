/* buf.c: growable NUL-terminated byte buffer. */
#include "buf.h"

#include "err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ns_buf_reserve(ns_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return NS_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p)
        return NS_ENOMEM;
    /* a fresh allocation must already read as "" (ns_buf_cstr after a reserve
     * alone, e.g. decoding an empty value); data[len] is NUL otherwise */
    p[b->len] = '\0';
    b->data = p;
    b->cap = cap;
    return 0;
}

int ns_buf_append(ns_buf *b, const char *s, size_t len)
{
    if (ns_buf_reserve(b, len) < 0)
        return NS_ENOMEM;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int ns_buf_puts(ns_buf *b, const char *s)
{
    return ns_buf_append(b, s, strlen(s));
}

int ns_buf_putc(ns_buf *b, char c)
{
    /* the room is usually there: no call to grow (pages put many characters) */
    if (b->cap - b->len >= 2) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return ns_buf_append(b, &c, 1);
}

int ns_buf_putu(ns_buf *b, unsigned long n)
{
    char d[24];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    return ns_buf_append(b, d + i, sizeof d - i);
}

/* Formatted once into the room there is (made at least NS_BUF_PRINTF_ROOM),
 * again only when that was too little: measuring every string first ran
 * vsnprintf twice for each, a tenth of a web request's instructions. */
#define NS_BUF_PRINTF_ROOM 128

int ns_buf_vprintf(ns_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    if (ns_buf_reserve(b, NS_BUF_PRINTF_ROOM) < 0)
        return NS_ENOMEM;
    size_t room = b->cap - b->len; /* with the NUL's byte */
    va_copy(ap2, ap);
    int n = vsnprintf(b->data + b->len, room, fmt, ap2);
    va_end(ap2);
    if (n >= 0 && (size_t)n < room) {
        b->len += (size_t)n;
        return 0;
    }
    b->data[b->len] = '\0'; /* a failed append leaves the contents as they were */
    if (n < 0)
        return NS_EINVAL;
    if (ns_buf_reserve(b, (size_t)n) < 0)
        return NS_ENOMEM;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int ns_buf_printf(ns_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ns_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void ns_buf_reset(ns_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *ns_buf_cstr(const ns_buf *b)
{
    return b->data ? b->data : "";
}

char *ns_buf_detach(ns_buf *b)
{
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void ns_buf_free(ns_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
