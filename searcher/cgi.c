/* cgi.c: QUERY_STRING to checked parameters, and the page's pure helpers. */
#include "cgi.h"
#include "str.h"

#include "err.h"
#include "list.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- helpers ------------------------------------------------------------ */


static int S_hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void S_flag(ns_cgi_params *p, ns_cgi_bad why)
{
    if (p->bad == NS_CGI_OK)
        p->bad = why;
}

/* Remember the offending value for the message, only for the first problem. */
static int S_flag_value(ns_cgi_params *p, ns_cgi_bad why, const char *v, size_t len)
{
    if (p->bad != NS_CGI_OK)
        return 0;
    p->bad = why;
    p->bad_value = ns_strndup(v, len);
    return p->bad_value ? 0 : NS_ENOMEM;
}

static int S_is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* "YYYY-MM" at s[0..7): 1 and *key = YYYY*100+MM when the month is 01..12. */
static int S_one_month(const char *s, int *key)
{
    if (!S_is_digits(s, 4) || s[4] != '-' || !S_is_digits(s + 5, 2))
        return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12)
        return 0;
    *key = y * 100 + m;
    return 1;
}

static int S_add_vendor(ns_cgi_params *p, const char *v, size_t len)
{
    for (size_t i = 0; i < p->nvendors; i++)
        if (strlen(p->vendors[i]) == len && strncasecmp(p->vendors[i], v, len) == 0)
            return 0;
    return ns_strs_add(&p->vendors, &p->nvendors, v, len);
}

static int S_replace(char **slot, const char *v, size_t len)
{
    char *d = ns_strndup(v, len);
    if (!d)
        return NS_ENOMEM;
    free(*slot);
    *slot = d;
    return 0;
}

/* page=N: digits only (no sign, no spaces); at most 3 significant digits
 * so no overflow. */
static int S_page(ns_cgi_params *p, const char *v, size_t vlen)
{
    size_t i = 0;
    while (i + 1 < vlen && v[i] == '0')
        i++;
    if (!S_is_digits(v, vlen) || vlen - i > 3)
        return S_flag_value(p, NS_CGI_BAD_PAGE, v, vlen);
    unsigned n = (unsigned)strtoul(v + i, NULL, 10);
    if (n < 1 || n > NS_CGI_MAX_PAGE)
        return S_flag_value(p, NS_CGI_BAD_PAGE, v, vlen);
    p->page = n;
    return 0;
}

/* One decoded, UTF-8-valid key=value pair. */
static int S_param(ns_cgi_params *p, const char *k, const char *v, size_t vlen)
{
    if (strcmp(k, "q") == 0) {
        /* characters, not bytes: a Russian letter takes two */
        if (ns_utf8_chars(v, vlen) > NS_CGI_MAX_Q) {
            S_flag(p, NS_CGI_BAD_Q_LONG);
            return 0;
        }
        return S_replace(&p->q, v, vlen);
    }
    int known = !strcmp(k, "vendor") || !strcmp(k, "month") || !strcmp(k, "lang") ||
                !strcmp(k, "sort") || !strcmp(k, "page") || !strcmp(k, "format") ||
                !strcmp(k, "opensearch") || !strcmp(k, "as_typed") || !strcmp(k, "cross");
    if (!known)
        return 0;
    if (vlen > NS_CGI_MAX_VALUE) {
        S_flag(p, NS_CGI_BAD_VALUE_LONG);
        return 0;
    }
    if (strcmp(k, "opensearch") == 0) {
        p->opensearch = 1;
        return 0;
    }
    if (strcmp(k, "as_typed") == 0) {
        p->as_typed = 1;
        return 0;
    }
    if (vlen == 0) {
        /* an empty form field means "not set", not "set to nothing" */
        if (strcmp(k, "month") == 0) {
            free(p->month);
            p->month = NULL;
        } else if (strcmp(k, "lang") == 0) {
            free(p->lang);
            p->lang = NULL;
        }
        return 0;
    }
    if (strcmp(k, "vendor") == 0)
        return S_add_vendor(p, v, vlen);
    if (strcmp(k, "month") == 0) {
        if (!ns_cgi_month_valid(v))
            return S_flag_value(p, NS_CGI_BAD_MONTH, v, vlen);
        return S_replace(&p->month, v, vlen);
    }
    if (strcmp(k, "lang") == 0) {
        if (strcmp(v, "en") != 0 && strcmp(v, "ru") != 0)
            return S_flag_value(p, NS_CGI_BAD_LANG, v, vlen);
        return S_replace(&p->lang, v, vlen);
    }
    if (strcmp(k, "cross") == 0) {
        if (vlen != 1 || (v[0] != '0' && v[0] != '1'))
            return S_flag_value(p, NS_CGI_BAD_CROSS, v, vlen);
        p->no_cross = v[0] == '0';
        return 0;
    }
    if (strcmp(k, "sort") == 0) {
        if (strcmp(v, "relevance") == 0)
            p->sort_by_date = 0;
        else if (strcmp(v, "date") == 0)
            p->sort_by_date = 1;
        else
            return S_flag_value(p, NS_CGI_BAD_SORT, v, vlen);
        return 0;
    }
    if (strcmp(k, "page") == 0)
        return S_page(p, v, vlen);
    /* format */
    if (strcmp(v, "json") == 0)
        p->json = 1;
    else if (strcmp(v, "html") == 0)
        p->json = 0;
    else
        return S_flag_value(p, NS_CGI_BAD_FORMAT, v, vlen);
    return 0;
}

/* ---- parsing -------------------------------------------------------------- */

int ns_cgi_decode(ns_buf *out, const char *s, size_t len)
{
    if (ns_buf_reserve(out, len) < 0)
        return NS_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 1 < len ? S_hex((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < len ? S_hex((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return NS_ESYNTAX;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (ns_buf_putc(out, c) < 0)
            return NS_ENOMEM;
    }
    return 0;
}

int ns_cgi_parse(ns_cgi_params *p, const char *qs, size_t len)
{
    int rc = 0;
    ns_buf key = NS_BUF_INIT, val = NS_BUF_INIT;

    memset(p, 0, sizeof *p);
    p->page = 1;
    if (!(p->q = ns_strndup("", 0)))
        return NS_ENOMEM;
    if (!qs)
        len = 0;
    if (len > NS_CGI_MAX_QS) {
        p->bad = NS_CGI_BAD_QS_LONG;
        return 0;
    }
    size_t count = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && qs[j] != '&')
            j++;
        if (j > i && ++count > NS_CGI_MAX_PARAMS) {
            p->bad = NS_CGI_BAD_TOO_MANY;
            return 0;
        }
        i = j + 1;
    }

    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && qs[end] != '&')
            end++;
        if (end == i) {
            i = end + 1;
            continue;
        }
        size_t eq = i;
        while (eq < end && qs[eq] != '=')
            eq++;
        ns_buf_reset(&key);
        ns_buf_reset(&val);
        int k = ns_cgi_decode(&key, qs + i, eq - i);
        int v = eq < end ? ns_cgi_decode(&val, qs + eq + 1, end - eq - 1) : 0;
        i = end + 1;
        if (k == NS_ENOMEM || v == NS_ENOMEM) {
            rc = NS_ENOMEM;
            goto done;
        }
        if (k < 0 || v < 0) {
            S_flag(p, NS_CGI_BAD_ESCAPE);
            continue;
        }
        if (!ns_utf8_valid(key.data ? key.data : "", key.len) ||
            !ns_utf8_valid(val.data ? val.data : "", val.len)) {
            S_flag(p, NS_CGI_BAD_UTF8);
            continue;
        }
        if ((rc = S_param(p, ns_buf_cstr(&key), ns_buf_cstr(&val), val.len)) < 0)
            goto done;
    }
done:
    ns_buf_free(&key);
    ns_buf_free(&val);
    return rc;
}

void ns_cgi_params_clear(ns_cgi_params *p)
{
    if (!p)
        return;
    free(p->q);
    ns_strs_free(p->vendors, p->nvendors);
    free(p->month);
    free(p->lang);
    free(p->bad_value);
    memset(p, 0, sizeof *p);
}

/* ---- helpers for the page ---------------------------------------------------- */

/* Percent-encode s onto out: unreserved bytes as is, '/' as is when it
 * is a path, a space as '+' when it is a query value, everything else %XX.
 * Room for the longest form first, then written in place: a page encodes
 * its path and its query into every one of its links. */
static int S_encode(ns_buf *out, const char *s, int path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(s);
    if (len > (SIZE_MAX - 1) / 3 || ns_buf_reserve(out, 3 * len) < 0)
        return NS_ENOMEM;
    char *w = out->data + out->len;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || (path && c == '/')) {
            *w++ = (char)c;
        } else if (!path && c == ' ') {
            *w++ = '+';
        } else {
            *w++ = '%';
            *w++ = hex[c >> 4];
            *w++ = hex[c & 15];
        }
    }
    *w = '\0';
    out->len = (size_t)(w - out->data);
    return 0;
}

int ns_cgi_encode(ns_buf *out, const char *s)
{
    return S_encode(out, s, 0);
}

int ns_cgi_encode_path(ns_buf *out, const char *path)
{
    return S_encode(out, path, 1);
}

int ns_cgi_month_valid(const char *s)
{
    int a, b;
    size_t n = strlen(s);
    if (n == 7)
        return S_one_month(s, &a);
    if (n == 16 && s[7] == '.' && s[8] == '.')
        return S_one_month(s, &a) && S_one_month(s + 9, &b) && a <= b;
    return 0;
}

/* q-value of an Accept-Language item's parameters, in thousandths (RFC 9110 12.4.2). */
static int S_qvalue(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ';' || s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i + 1 < n && (s[i] == 'q' || s[i] == 'Q') && s[i + 1] == '=') {
            i += 2;
            int whole = 0, milli = 0, scale = 100;
            if (i < n && (s[i] == '0' || s[i] == '1'))
                whole = s[i++] - '0';
            else
                return 0;           /* malformed: treat as not acceptable */
            if (i < n && s[i] == '.')
                for (i++; i < n && s[i] >= '0' && s[i] <= '9' && scale > 0; i++, scale /= 10)
                    milli += (s[i] - '0') * scale;
            int q = whole * 1000 + milli;
            return q > 1000 ? 1000 : q;
        }
        while (i < n && s[i] != ';')
            i++;
    }
    return 1000;
}

static int S_lang_match(const char *tag, size_t n, const char *lang)
{
    return n >= 2 && strncasecmp(tag, lang, 2) == 0 && (n == 2 || tag[2] == '-');
}

const char *ns_cgi_ui_lang(const char *q, const char *accept_language)
{
    if (q) {
        size_t len = strlen(q);
        for (size_t i = 0; i < len;) {
            int32_t cp;
            i += (size_t)ns_utf8_decode(q + i, len - i, &cp);
            if (cp >= 0x0400 && cp <= 0x052F)
                return "ru";
        }
    }
    if (!accept_language)
        return "en";
    int best_ru = 0, best_en = 0;
    size_t pos = 0, pos_ru = 0, pos_en = 0;
    for (const char *s = accept_language; *s;) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        size_t a = 0;
        while (a < n && (s[a] == ' ' || s[a] == '\t'))
            a++;
        size_t t = a;
        while (t < n && s[t] != ';' && s[t] != ' ' && s[t] != '\t')
            t++;
        int qv = S_qvalue(s + t, n - t);
        pos++;
        if (S_lang_match(s + a, t - a, "ru") && qv > best_ru) {
            best_ru = qv;
            pos_ru = pos;
        } else if (S_lang_match(s + a, t - a, "en") && qv > best_en) {
            best_en = qv;
            pos_en = pos;
        }
        s += n;
        if (*s == ',')
            s++;
    }
    if (best_ru > best_en || (best_ru > 0 && best_ru == best_en && pos_ru < pos_en))
        return "ru";
    return "en";
}

int ns_cgi_ru_plural(unsigned long n)
{
    unsigned long d = n % 10, h = n % 100;
    if (d == 1 && h != 11)
        return 0;
    if (d >= 2 && d <= 4 && (h < 12 || h > 14))
        return 1;
    return 2;
}
