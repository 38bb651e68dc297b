/* qwords.c: words, phrases and prefixes of a query through the analyser
 * (query_impl.h): the terms each takes, counted against the cap before
 * any Xapian query is made. */
#include "query_impl.h"

#include "qfilter.h"
#include "str.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A word or phrase longer than this is first analysed in growing pieces, so
 * that one which gives far more terms than the cap (a pasted book as one
 * phrase, "a1a1a1..." as one word) is refused after analysing a few KB of
 * it rather than all of it. */
#define PROBE_BYTES 4096

/* Terms a phrase takes: those of parts that are neither stopwords nor the
 * joined form of a compound. */
static size_t S_live(const ns_term *t, size_t n)
{
    size_t live = 0;
    for (size_t i = 0; i < n; i++)
        live += !(t[i].flags & (NS_TERM_JOINED | NS_TERM_STOP));
    return live;
}

/* ns_analyze(text[0..len)), but refusing (NS_ETOOBIG) as soon as a prefix of
 * the text shows that it gives more terms than the query has room for. The
 * terms of a prefix cut anywhere are those of the whole text, except that the
 * last part may be cut short: so live terms of the prefix, less one, are
 * live terms of the whole. text holds valid UTF-8 (the parser's copy). */
static int S_analyze(ns_query *q, ns_analyzer *a, const char *text, size_t len,
                     const ns_term **t, size_t *n, ns_err *err)
{
    size_t room = NS_QUERY_MAX_TERMS - q->nterms;
    int rc;
    for (size_t k = PROBE_BYTES; k < len; k = k <= SIZE_MAX / 4 ? k * 4 : len) {
        size_t cut = k;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
        if ((rc = ns_analyze(a, text, cut, 1, t, n, NULL, err)) < 0)
            return rc;
        if (S_live(*t, *n) > room + 1)
            return ns_query_too_many(q, err);
    }
    return ns_analyze(a, text, len, 1, t, n, NULL, err);
}

/* Terms the query of one token t[0..n) takes (see S_token_query). */
static size_t S_token_terms(const ns_term *t, size_t n)
{
    size_t joined = 0;
    for (size_t i = 0; i < n; i++)
        joined |= (t[i].flags & NS_TERM_JOINED) != 0;
    return joined + S_live(t, n);
}

/* The nlive live parts of one token t[0..n) as a phrase within window
 * positions (one part: that part's term alone). */
static int S_parts_phrase(const ns_term *t, size_t n, size_t nlive, uint32_t window,
                          ns_xquery **out, ns_err *err)
{
    ns_xquery **subs = calloc(nlive, sizeof *subs);
    size_t k = 0;
    int rc = 0;
    if (!subs)
        return ns_query_oom(err);
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (t[i].flags & (NS_TERM_JOINED | NS_TERM_STOP))
            continue;
        rc = ns_xquery_term(&subs[k], t[i].term, t[i].len, err);
        if (rc == 0)
            k++;
    }
    if (rc == 0) {
        if (k == 1)
            rc = ns_xquery_combine(out, NS_XQ_OR, subs, 1, 0, err);
        else
            rc = ns_xquery_combine(out, NS_XQ_PHRASE, subs, k, window, err);
    }
    for (size_t i = 0; i < k; i++)
        ns_xquery_free(subs[i]);
    free(subs);
    return rc;
}

/* Query for one token terms[i0..i1) (all with the same token index). */
static int S_token_query(ns_query *q, const ns_term *t, size_t n, ns_xquery **out, int *plain,
                         ns_err *err)
{
    const ns_term *joined = NULL;
    size_t nparts = 0, nlive = 0;
    uint32_t first = 0, last = 0;
    int rc = 0;
    ns_xquery *phrase = NULL, *jq = NULL;

    *out = NULL;
    *plain = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i].flags & NS_TERM_JOINED) {
            joined = &t[i];
            continue;
        }
        nparts++;
        if (t[i].flags & NS_TERM_STOP)
            continue;
        if (!nlive)
            first = t[i].pos;
        last = t[i].pos;
        nlive++;
    }
    if (!joined && nparts == 1) {
        if (!nlive)
            return 0; /* a stopword outside a phrase is dropped */
        for (size_t i = 0; i < n; i++)
            if (!(t[i].flags & (NS_TERM_STOP | NS_TERM_JOINED))) {
                if (ns_query_add_str(&q->stems, &q->nstems, t[i].term, t[i].len) < 0)
                    return ns_query_oom(err);
                *plain = 1;
                return ns_xquery_term(out, t[i].term, t[i].len, err);
            }
        return 0;
    }
    /* A compound (GPT-3, gpt3): its joined term, or its parts as a phrase,
     * so "GPT-3", "gpt3" and "GPT 3" in a text all match and a lone "3" does not. */
    if (nlive && (rc = S_parts_phrase(t, n, nlive, last - first + 1, &phrase, err)) < 0)
        goto done;
    if (joined) {
        if (ns_query_add_str(&q->stems, &q->nstems, joined->term, joined->len) < 0) {
            rc = ns_query_oom(err);
            goto done;
        }
        if ((rc = ns_xquery_term(&jq, joined->term, joined->len, err)) < 0)
            goto done;
    }
    if (jq && phrase) {
        ns_xquery *two[2] = { jq, phrase };
        rc = ns_xquery_combine(out, NS_XQ_OR, two, 2, 0, err);
    } else if (jq) {
        *out = jq;
        jq = NULL;
    } else if (phrase) {
        *out = phrase;
        phrase = NULL;
    }
done:
    ns_xquery_free(jq);
    ns_xquery_free(phrase);
    return rc;
}

/* Keep in c the stems of the parts of t[0..n) (neither joined nor
 * stopwords), in order; a word of more than MAX_CLAUSE_STEMS parts is left
 * without (nothing in the glossary or the calendar is that long). */
static int S_clause_stems(clause *c, const ns_term *t, size_t n)
{
    size_t live = S_live(t, n);
    if (live == 0 || live > MAX_CLAUSE_STEMS)
        return 0;
    if (!(c->stems = calloc(live, sizeof *c->stems)))
        return NS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (t[i].flags & (NS_TERM_JOINED | NS_TERM_STOP))
            continue;
        if (!(c->stems[c->nstems] = ns_strndup(t[i].term, t[i].len)))
            return NS_ENOMEM;
        c->nstems++;
    }
    return 0;
}

/* Query for an unquoted word item: AND of its tokens ("openai.com" gives two).
 * c (may be NULL) receives the stems of its parts. */
int ns_qwords_word(ns_query *q, ns_analyzer *a, const char *text, size_t len, size_t qstart,
                   clause *c, ns_xquery **out, ns_err *err)
{
    const ns_term *t;
    size_t n, nterms = 0;
    qlist toks = { 0 };
    int rc, plain = 0;
    uint32_t ntok = 0;

    *out = NULL;
    if ((rc = S_analyze(q, a, text, len, &t, &n, err)) < 0)
        return rc;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && t[j].token == t[i].token;)
            j++;
        nterms += S_token_terms(t + i, j - i);
    }
    if ((rc = ns_query_count(q, nterms, err)) < 0)
        return rc;
    if (c && S_clause_stems(c, t, n) < 0)
        return ns_query_oom(err);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && t[j].token == t[i].token)
            j++;
        ntok++;
        ns_xquery *x = NULL;
        if ((rc = S_token_query(q, t + i, j - i, &x, &plain, err)) < 0)
            goto done;
        if (x && (rc = ns_qlist_push(&toks, x)) < 0) {
            ns_xquery_free(x);
            rc = ns_query_oom(err);
            goto done;
        }
        i = j;
    }
    if (ntok == 1 && plain && q->nwords < MAX_WORDS) {
        /* Keep the word for a spelling suggestion (find its term again). */
        const ns_term *w = NULL;
        for (size_t k = 0; k < n; k++)
            if (!(t[k].flags & (NS_TERM_STOP | NS_TERM_JOINED)))
                w = &t[k];
        if (w) {
            ns_query_word *p = realloc(q->words, (q->nwords + 1) * sizeof *p);
            if (!p) {
                rc = ns_query_oom(err);
                goto done;
            }
            q->words = p;
            ns_query_word *qw = &p[q->nwords];
            qw->start = qstart + w->start;
            qw->end = qstart + w->end;
            qw->stem = ns_strndup(w->term, w->len);
            qw->folded = NULL;
            if (!qw->stem) {
                rc = ns_query_oom(err);
                goto done;
            }
            q->nwords++;
            const char *f;
            size_t flen;
            /* t is dead after this call: nothing below reads it. */
            if (ns_analyze_fold(a, text + w->start, w->end - w->start, &f, &flen, NULL) == 0)
                qw->folded = ns_strndup(f, flen);
        }
    }
    if (toks.n == 1) {
        *out = toks.v[0];
        toks.n = 0;
    } else if (toks.n > 1) {
        rc = ns_xquery_combine(out, NS_XQ_AND, toks.v, toks.n, 0, err);
    }
done:
    ns_qlist_free(&toks);
    return rc;
}

/* Query for a "phrase": its non-stop part terms in order, within the window
 * its positions span, so stopwords still count ("state of the art"). */
int ns_qwords_phrase(ns_query *q, ns_analyzer *a, const char *text, size_t len,
                     ns_xquery **out, ns_err *err)
{
    const ns_term *t;
    size_t n;
    qlist parts = { 0 };
    int rc;
    uint32_t first = 0, last = 0;

    *out = NULL;
    if ((rc = S_analyze(q, a, text, len, &t, &n, err)) < 0 ||
        (rc = ns_query_count(q, S_live(t, n), err)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (t[i].flags & (NS_TERM_JOINED | NS_TERM_STOP))
            continue;
        ns_xquery *x;
        if ((rc = ns_xquery_term(&x, t[i].term, t[i].len, err)) < 0)
            goto done;
        if (ns_qlist_push(&parts, x) < 0) {
            ns_xquery_free(x);
            rc = ns_query_oom(err);
            goto done;
        }
        if (ns_query_add_str(&q->stems, &q->nstems, t[i].term, t[i].len) < 0) {
            rc = ns_query_oom(err);
            goto done;
        }
        if (parts.n == 1)
            first = t[i].pos;
        last = t[i].pos;
    }
    if (parts.n == 1) {
        *out = parts.v[0];
        parts.n = 0;
    } else if (parts.n > 1) {
        rc = ns_xquery_combine(out, NS_XQ_PHRASE, parts.v, parts.n, last - first + 1, err);
    }
done:
    ns_qlist_free(&parts);
    return rc;
}

/* prefix*: the folded prefix to expand (*prefix, malloc'd), or, for a prefix
 * no term can start with, a query matching nothing (*out). Counts one term. */
int ns_qwords_prefix(ns_query *q, ns_analyzer *a, const char *text, size_t len, char **prefix,
                     size_t *plen, ns_xquery **out, ns_err *err)
{
    const char *f, *stem;
    size_t flen, slen, nchars = 0;
    int stop = 0, rc;
    char *folded = NULL;

    *out = NULL;
    *prefix = NULL;
    if ((rc = ns_query_count(q, 1, err)) < 0 || (rc = ns_analyze_fold(a, text, len, &f, &flen, err)) < 0)
        return rc;
    nchars = ns_utf8_chars(f, flen);
    if (nchars < 2)
        return ns_query_why(q, NS_QERR_PREFIX_SHORT,
                            ns_err_set(err, NS_ESYNTAX, "prefix '%.*s*' is too short",
                                       (int)(len > 100 ? 100 : len), text));
    if (flen > NS_TERM_MAX)
        return ns_qfilter_nothing(out, err); /* no term is that long */
    if (!(folded = ns_strndup(f, flen)))
        return ns_query_oom(err);
    /* "translation*" must reach the stems "translat...": when the word's own
     * stem is a shorter prefix of it, expand the stem instead. */
    if (ns_analyze_word(a, text, len, &stem, &slen, &stop, NULL) == 0 && !stop && slen > 0 &&
        slen < flen && memcmp(stem, folded, slen) == 0) {
        folded[slen] = '\0';
        flen = slen;
    }
    if (ns_query_add_str(&q->prefixes, &q->nprefixes, folded, flen) < 0) {
        free(folded);
        return ns_query_oom(err);
    }
    *prefix = folded;
    *plen = flen;
    return 0;
}

