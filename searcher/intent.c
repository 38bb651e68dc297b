/* intent.c: months, years and vendors read from a query's words (intent.h). */
#include "intent.h"
#include "str.h"

#include "buf.h"
#include "query.h"
#include "schema.h"
#include "xapian_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Vendor names are at most this many words ("Allen Institute for AI" is
 * four, but its shorter aliases are the ones people type). */
#define VENDOR_MAX_WORDS 3

/* Month names as folded text, '|'-separated, January first: English full
 * and abbreviated, Russian nominative, genitive and prepositional. */
static const char *const MONTHS[12] = {
    "january|jan|январь|января|январе",
    "february|feb|февраль|февраля|феврале",
    "march|mar|март|марта|марте",
    "april|apr|апрель|апреля|апреле",
    "may|май|мая|мае",
    "june|jun|июнь|июня|июне",
    "july|jul|июль|июля|июле",
    "august|aug|август|августа|августе",
    "september|sep|sept|сентябрь|сентября|сентябре",
    "october|oct|октябрь|октября|октябре",
    "november|nov|ноябрь|ноября|ноябре",
    "december|dec|декабрь|декабря|декабре",
};

/* The stem of год, года, году: a word that belongs to the year before it. */
#define YEAR_WORD_STEM "год"

static int S_in_list(const char *list, const char *w, size_t len)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == len && memcmp(p, w, len) == 0)
            return 1;
        p += n + (e != NULL);
    }
    return 0;
}

int ns_intent_month_name(ns_analyzer *a, const char *word, size_t len)
{
    const char *f;
    size_t flen;
    if (len == 0 || len > 64 || ns_analyze_fold(a, word, len, &f, &flen, NULL) < 0)
        return 0;
    while (flen > 0 && (f[flen - 1] == '.' || f[flen - 1] == ','))
        flen--;
    for (int m = 0; m < 12; m++)
        if (S_in_list(MONTHS[m], f, flen))
            return m + 1;
    return 0;
}

/* The year 1900..2099 that a stem of four digits is, or 0. */
static int S_year(const char *stem)
{
    if (strlen(stem) != 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (stem[i] < '0' || stem[i] > '9')
            return 0;
    int y = atoi(stem);
    return y >= 1900 && y <= 2099 ? y : 0;
}

/* The word of text that ends right before byte `at`, past spaces:
 * [*b, *e), or 0 when there is none. */
static int S_word_before(const char *text, size_t at, size_t *b, size_t *e)
{
    size_t i = at;
    while (i > 0 && ns_is_space(text[i - 1]))
        i--;
    *e = i;
    while (i > 0 && !ns_is_space(text[i - 1]))
        i--;
    *b = i;
    return *e > *b;
}

typedef struct plan {
    size_t first, n;
    ns_xquery *alt;
} plan;

/* alt = articles matching x, weighing weight. */
static int S_boost(ns_xquery *x, double weight, ns_xquery **alt, ns_err *err)
{
    int rc = ns_xquery_boost(alt, x, weight, err);
    ns_xquery_free(x);
    return rc;
}

/* The date intent: a year clause, with the month name before it and the
 * word "год" after it when they are there. */
static int S_date(ns_analyzer *a, const char *text, const ns_query_clause *c, const int *have,
                  size_t ng, double weight, ns_intents *out, plan *p, ns_err *err)
{
    for (size_t g = 0; g < ng; g++) {
        int y, m = 0;
        size_t b, e, first = g, last = g;
        if (!have[g] || c[g].nstems != 1 || !(y = S_year(c[g].stems[0])))
            continue;
        if (c[g].end - c[g].start != 4)
            continue; /* "2020s", "2020-х": not a year as such */
        if (S_word_before(text, c[g].start, &b, &e))
            m = ns_intent_month_name(a, text + b, e - b);
        /* The month's name is part of the clause before, unless it is a
         * stopword ("may") and made none. */
        if (m && g > 0 && have[g - 1] && c[g - 1].start == b)
            first = g - 1;
        if (g + 1 < ng && have[g + 1] && c[g + 1].nstems == 1 &&
            strcmp(c[g + 1].stems[0], YEAR_WORD_STEM) == 0)
            last = g + 1;
        ns_xquery *x = NULL;
        int rc;
        if (m) {
            char term[16];
            snprintf(out->month, sizeof out->month, "%04d-%02d", y, m);
            snprintf(term, sizeof term, NS_PREFIX_MONTH "%s", out->month);
            rc = ns_xquery_term(&x, term, strlen(term), err);
        } else {
            char lo[9], hi[9];
            snprintf(out->year, sizeof out->year, "%04d", y);
            snprintf(lo, sizeof lo, "%04d0101", y);
            snprintf(hi, sizeof hi, "%04d1231", y);
            rc = ns_xquery_value_range(&x, NS_SLOT_DATE, lo, hi, err);
        }
        if (rc < 0 || (rc = S_boost(x, weight, &p->alt, err)) < 0)
            return rc;
        p->first = first;
        p->n = last - first + 1;
        return 1;
    }
    return 0;
}

/* The vendor intent: the first run of 1..VENDOR_MAX_WORDS clauses, outside
 * [skip_first, skip_first + skip_n), that names a vendor. */
static int S_vendor(ns_analyzer *a, const ns_vendors *v, const char *text,
                    const ns_query_clause *c, const int *have, size_t ng, size_t skip_first,
                    size_t skip_n, double weight, ns_intents *out, plan *p, ns_err *err)
{
    for (size_t g = 0; g < ng; g++) {
        for (size_t n = VENDOR_MAX_WORDS; n >= 1; n--) {
            if (g + n > ng)
                continue;
            int ok = 1;
            for (size_t k = g; k < g + n && ok; k++)
                ok = have[k] && (skip_n == 0 || k < skip_first || k >= skip_first + skip_n);
            if (!ok)
                continue;
            size_t b = c[g].start, e = c[g + n - 1].end;
            const char *name = ns_vendors_canonical(v, a, text + b, e - b);
            if (!name)
                continue;
            const char *f;
            size_t flen;
            ns_buf term = NS_BUF_INIT;
            ns_xquery *x = NULL;
            int rc = ns_analyze_fold(a, name, strlen(name), &f, &flen, err);
            if (rc < 0)
                return rc;
            if (ns_buf_puts(&term, NS_PREFIX_VENDOR) < 0 || ns_buf_append(&term, f, flen) < 0 ||
                !(out->vendor = ns_strndup(name, strlen(name)))) {
                ns_buf_free(&term);
                return ns_err_set(err, NS_ENOMEM, "out of memory reading intents");
            }
            if (term.len > NS_XTERM_MAX) {
                ns_buf_free(&term);
                free(out->vendor);
                out->vendor = NULL;
                continue;
            }
            rc = ns_xquery_term(&x, term.data, term.len, err);
            ns_buf_free(&term);
            if (rc < 0 || (rc = S_boost(x, weight, &p->alt, err)) < 0)
                return rc;
            p->first = g;
            p->n = n;
            return 1;
        }
    }
    return 0;
}

int ns_intents_apply(ns_query *q, ns_analyzer *a, const ns_vendors *v, const char *text,
                     size_t len, double weight, ns_intents *out, ns_err *err)
{
    size_t ng = ns_query_groups(q), nplans = 0;
    ns_query_clause *c = NULL;
    int *have = NULL, rc = 0;
    plan plans[2];

    (void)len; /* the clauses' ranges lie inside text[0..len) */
    memset(out, 0, sizeof *out);
    memset(plans, 0, sizeof plans);
    if (ng == 0)
        return 0;
    if (!(c = calloc(ng, sizeof *c)) || !(have = calloc(ng, sizeof *have))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory reading intents");
        goto done;
    }
    for (size_t g = 0; g < ng; g++)
        have[g] = ns_query_clause_at(q, g, &c[g]);
    if ((rc = S_date(a, text, c, have, ng, weight, out, &plans[nplans], err)) < 0)
        goto done;
    nplans += (size_t)rc;
    if (v) {
        rc = S_vendor(a, v, text, c, have, ng, nplans ? plans[0].first : 0, nplans ? plans[0].n : 0,
                      weight, out, &plans[nplans], err);
        if (rc < 0)
            goto done;
        nplans += (size_t)rc;
    }
    /* Merge from the last group back, so the first indices stay right. */
    if (nplans == 2 && plans[1].first < plans[0].first) {
        plan t = plans[0];
        plans[0] = plans[1];
        plans[1] = t;
    }
    rc = 0;
    for (size_t i = nplans; i-- > 0;)
        if ((rc = ns_query_merge(q, plans[i].first, plans[i].n, plans[i].alt, 0, err)) < 0)
            goto done;
done:
    for (size_t i = 0; i < nplans; i++)
        ns_xquery_free(plans[i].alt);
    free(c);
    free(have);
    if (rc < 0)
        ns_intents_clear(out);
    return rc;
}

void ns_intents_clear(ns_intents *in)
{
    if (!in)
        return;
    free(in->vendor);
    memset(in, 0, sizeof *in);
}
