/* format.c: nsearch --format (format.h). */
#include "format.h"

#include "str.h"

#include <math.h>
#include <string.h>

static const char S_KNOWN[] = "itdmuvlsrpn%";

/* The bytes of the character that starts s: 1 for ASCII and stray bytes. */
static size_t S_charlen(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

int ns_format_check(const char *fmt, ns_err *err)
{
    for (const char *p = fmt; (p = strchr(p, '%')); p += 2) {
        if (!p[1])
            return ns_err_set(err, NS_EINVAL, "the format ends with a lone '%%' (write %%%% for a "
                                              "percent sign)");
        if (!strchr(S_KNOWN, p[1])) {
            char q[64];
            ns_str_quote(q, sizeof q, p, 1 + S_charlen(p + 1), 16);
            return ns_err_set(err, NS_EINVAL, "unknown sequence '%s' in the format (known: %%i %%t "
                              "%%d %%m %%u %%v %%l %%s %%r %%p %%n %%%%; see nsearch --help)", q);
        }
    }
    return 0;
}

static int S_field(ns_buf *out, const char *s)
{
    return s ? ns_str_escape(out, s, strlen(s)) : 0;
}

int ns_format_hit(ns_buf *out, const char *fmt, const ns_hit *h)
{
    const ns_record *r = &h->rec;
    int rc = 0;
    for (const char *p = fmt; *p && rc == 0; p++) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            rc = ns_buf_puts(out, p);
            break;
        }
        if (pct > p && (rc = ns_buf_append(out, p, (size_t)(pct - p))) < 0)
            break;
        p = pct + 1;
        switch (*p) {
        case 'i': rc = S_field(out, r->id); break;
        case 't': rc = S_field(out, r->title); break;
        case 'd': rc = S_field(out, r->date); break;
        case 'm': rc = S_field(out, h->month); break;
        case 'u': rc = S_field(out, r->url); break;
        case 'l': rc = S_field(out, r->lang); break;
        case 'p': rc = S_field(out, r->path); break;
        case 'v':
            for (size_t i = 0; i < r->nvendors && rc == 0; i++) {
                if (i)
                    rc = ns_buf_putc(out, ',');
                if (rc == 0)
                    rc = S_field(out, r->vendors[i]);
            }
            break;
        case 's': rc = ns_buf_printf(out, "%.6g", isfinite(h->score) ? h->score : 0.0); break;
        case 'r': rc = ns_buf_printf(out, "%u", h->rank); break;
        case 'n': rc = ns_buf_putc(out, '\n'); break;
        case '%': rc = ns_buf_putc(out, '%'); break;
        default: p--; rc = ns_buf_putc(out, '%'); break;   /* unchecked: as written */
        }
    }
    if (rc == 0)
        rc = ns_buf_putc(out, '\n');
    return rc < 0 ? NS_ENOMEM : 0;
}
