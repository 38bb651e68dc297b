/* typed.c: filters typed in the search box (typed.h). */
#include "typed.h"
#include "str.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int S_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The length of "key:" at s, or 0: the parser's rule (query.c S_field). */
static size_t S_field(const char *s, size_t len, const char *key)
{
    size_t k = strlen(key);
    return len > k && strncasecmp(s, key, k) == 0 && s[k] == ':' ? k + 1 : 0;
}

int ns_typed_find(const char *q, size_t len, ns_typed_filter out[NS_TYPED_MAX], size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < len && *n < NS_TYPED_MAX; i++) {
        if (i > 0 && !S_space(q[i - 1]) && q[i - 1] != '(')
            continue;
        size_t fk;
        char kind = 0;
        if ((fk = S_field(q + i, len - i, "vendor")))
            kind = 'v';
        else if ((fk = S_field(q + i, len - i, "month")))
            kind = 'm';
        else if ((fk = S_field(q + i, len - i, "lang")))
            kind = 'l';
        if (!kind)
            continue;
        size_t b = i + fk, e, end;
        if (b < len && q[b] == '"') {
            b++;
            e = b;
            while (e < len && q[e] != '"')
                e++;
            end = e < len ? e + 1 : e;
        } else {
            e = b;
            while (e < len && !S_space(q[e]) && q[e] != ')')
                e++;
            end = e;
        }
        if (e > b) {
            char *v = ns_strndup(q + b, e - b);
            if (!v) {
                ns_typed_free(out, *n);
                *n = 0;
                return NS_ENOMEM;
            }
            ns_typed_filter f = { kind, i, end, v };
            out[(*n)++] = f;
        }
        i = end > i ? end - 1 : i;
    }
    return 0;
}

void ns_typed_free(ns_typed_filter *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].value);
        f[i].value = NULL;
    }
}

int ns_typed_without(ns_buf *out, const char *q, const ns_typed_filter *f)
{
    size_t a = f->start, b = f->end, len = strlen(q);
    while (a > 0 && S_space(q[a - 1]))
        a--;
    while (b < len && S_space(q[b]))
        b++;
    int rc = ns_buf_append(out, q, a);
    if (rc == 0 && a > 0 && b < len)
        rc = ns_buf_putc(out, ' ');
    if (rc == 0)
        rc = ns_buf_append(out, q + b, len - b);
    return rc;
}
