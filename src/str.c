/* str.c: small string helpers (see str.h). */
#include "str.h"

#include "err.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

char *ns_strndup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

int ns_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void ns_trim(const char **s, size_t *len)
{
    while (*len && ns_is_space(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && ns_is_space((*s)[*len - 1]))
        (*len)--;
}

int ns_is_control(int32_t cp)
{
    return (cp >= 0 && cp < 0x20) || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

/* The escape for s[i] (n bytes, code point cp; cp < 0 for a bad byte) in
 * out[0..16), NUL-terminated; its length, or 0 when s[i] needs none. */
static size_t S_escape_one(const char *s, int n, int32_t cp, char *out)
{
    static const char hex[] = "0123456789abcdef";
    if (cp >= 0 && !ns_is_control(cp)) {
        out[0] = '\0';
        return 0;
    }
    size_t k = 0;
    for (int b = 0; b < n; b++) {
        unsigned char c = (unsigned char)s[b];
        out[k++] = '\\';
        out[k++] = 'x';
        out[k++] = hex[c >> 4];
        out[k++] = hex[c & 15];
    }
    out[k] = '\0';
    return k;
}

int ns_str_escape(ns_buf *out, const char *s, size_t len)
{
    size_t i = 0, run = 0; /* s[run..i) is still to be copied as it is */
    while (i < len) {
        int32_t cp;
        int n = ns_utf8_decode(s + i, len - i, &cp);
        char esc[16];
        size_t k = S_escape_one(s + i, n, cp, esc);
        if (k) {
            if (ns_buf_append(out, s + run, i - run) < 0 || ns_buf_append(out, esc, k) < 0)
                return NS_ENOMEM;
            run = i + (size_t)n;
        }
        i += (size_t)n;
    }
    return ns_buf_append(out, s + run, i - run);
}

int ns_str_vescapef(ns_buf *out, const char *fmt, va_list ap)
{
    ns_buf raw = NS_BUF_INIT;
    int rc = ns_buf_vprintf(&raw, fmt, ap);
    if (rc == 0)
        rc = ns_str_escape(out, ns_buf_cstr(&raw), raw.len);
    ns_buf_free(&raw);
    return rc < 0 ? NS_ENOMEM : 0;
}

const char *ns_str_quote(char *dst, size_t size, const char *s, size_t len, size_t max)
{
    size_t d = 0, i = 0, lim = size - 4; /* room for "..." and the NUL */
    if (max > len)
        max = len;
    while (i < max) {
        int32_t cp;
        int n = ns_utf8_decode(s + i, len - i, &cp);
        if (i + (size_t)n > max)
            break;
        char esc[16];
        size_t k = S_escape_one(s + i, n, cp, esc);
        const char *src = k ? esc : s + i;
        size_t m = k ? k : (size_t)n;
        if (d + m > lim)
            break;
        memcpy(dst + d, src, m);
        d += m;
        i += (size_t)n;
    }
    if (i < len) {
        memcpy(dst + d, "...", 3);
        d += 3;
    }
    dst[d] = '\0';
    return dst;
}
