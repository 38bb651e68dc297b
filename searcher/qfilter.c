/* qfilter.c: the filters of the query language (qfilter.h). */
#include "qfilter.h"

#include "buf.h"
#include "schema.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A term no analyser or indexer ever produces (see ns_qfilter_nothing). */
#define NOTHING_TERM "\x01"

int ns_qfilter_nothing(ns_xquery **out, ns_err *err)
{
    return ns_xquery_term(out, NOTHING_TERM, 1, err);
}

static int S_month_parse(const char *s, size_t len, int *y, int *m)
{
    if (len != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return -1;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    return (*m >= 1 && *m <= 12) ? 0 : -1;
}

/* rc, a refusal err describes, with its reason (query.h NS_QERR_*) stored
 * in *why when the caller asked for it. */
static int S_why(int *why, int reason, int rc)
{
    if (why)
        *why = reason;
    return rc;
}

static int S_bad_month(int *why, ns_err *err, const char *s, size_t len)
{
    return S_why(why, NS_QERR_MONTH,
                 ns_err_set(err, NS_ESYNTAX, "month '%.*s' is not a valid YYYY-MM",
                            (int)(len > 100 ? 100 : len), s));
}

int ns_qfilter_month(ns_xquery **out, const char *s, size_t len, int *why, ns_err *err)
{
    int y1, m1, y2, m2;
    const char *dots = NULL;

    *out = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = s + i;
            break;
        }
    if (!dots) {
        if (S_month_parse(s, len, &y1, &m1) < 0)
            return S_bad_month(why, err, s, len);
        char term[16];
        snprintf(term, sizeof term, NS_PREFIX_MONTH "%04d-%02d", y1, m1);
        return ns_xquery_term(out, term, strlen(term), err);
    }
    size_t l1 = (size_t)(dots - s);
    const char *s2 = dots + 2;
    size_t l2 = len - l1 - 2;
    if (S_month_parse(s, l1, &y1, &m1) < 0)
        return S_bad_month(why, err, s, l1);
    if (S_month_parse(s2, l2, &y2, &m2) < 0)
        return S_bad_month(why, err, s2, l2);
    if (y2 * 12 + m2 < y1 * 12 + m1)
        return S_why(why, NS_QERR_MONTH_RANGE,
                     ns_err_set(err, NS_ESYNTAX, "month range '%.*s' ends before it starts",
                                (int)(len > 100 ? 100 : len), s));
    char lo[16], hi[16];
    snprintf(lo, sizeof lo, "%04d%02d01", y1, m1);
    snprintf(hi, sizeof hi, "%04d%02d31", y2, m2);
    return ns_xquery_value_range(out, NS_SLOT_DATE, lo, hi, err);
}

int ns_qfilter_lang(ns_xquery **out, const char *s, size_t len, int *why, ns_err *err)
{
    const char *term;
    *out = NULL;
    if (len == 2 && strncasecmp(s, "en", 2) == 0)
        term = NS_PREFIX_LANG "en";
    else if (len == 2 && strncasecmp(s, "ru", 2) == 0)
        term = NS_PREFIX_LANG "ru";
    else
        return S_why(why, NS_QERR_LANG,
                     ns_err_set(err, NS_ESYNTAX, "lang '%.*s' is not en or ru",
                                (int)(len > 100 ? 100 : len), s));
    return ns_xquery_term(out, term, strlen(term), err);
}

int ns_qfilter_vendor(ns_xquery **out, ns_analyzer *a, const ns_vendors *v, const char *s,
                      size_t len, int *why, ns_err *err)
{
    const char *name = NULL, *f;
    size_t flen;
    ns_buf term = NS_BUF_INIT;
    int rc;

    *out = NULL;
    if (len == 0)
        return S_why(why, NS_QERR_VENDOR_EMPTY,
                     ns_err_set(err, NS_ESYNTAX, "vendor filter needs a name"));
    if (v)
        name = ns_vendors_canonical(v, a, s, len);
    if ((rc = ns_analyze_fold(a, name ? name : s, name ? strlen(name) : len, &f, &flen, err)) < 0)
        return rc;
    if (ns_buf_puts(&term, NS_PREFIX_VENDOR) < 0 || ns_buf_append(&term, f, flen) < 0)
        rc = ns_err_set(err, NS_ENOMEM, "out of memory parsing the query");
    else if (flen == 0 || term.len > NS_XTERM_MAX || !ns_utf8_valid(term.data, term.len))
        rc = ns_qfilter_nothing(out, err);
    else
        rc = ns_xquery_term(out, term.data, term.len, err);
    ns_buf_free(&term);
    return rc;
}
