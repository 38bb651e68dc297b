/* query.c: the query language parser and the Xapian query builder (query.h). */
#include "query.h"
#include "str.h"

#include "schema.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Highlighting and spelling need only the first few words; a hostile query of
 * thousands of distinct words must not make their de-duplication quadratic. */
#define MAX_STEMS 256
#define MAX_WORDS 64
/* Parts of one word kept for the intents and the glossary. */
#define MAX_CLAUSE_STEMS 8

/* A word or phrase longer than this is first analysed in growing pieces, so
 * that one which gives far more terms than the cap (a pasted book as one
 * phrase, "a1a1a1..." as one word) is refused after analysing a few KB of
 * it rather than all of it. */
#define PROBE_BYTES 4096

/* A term no analyser or indexer ever produces: a query that matches nothing
 * (an over-long prefix or vendor name). Xapian has no MatchNothing in our shim. */
#define NOTHING_TERM "\x01"

typedef struct qlist {
    ns_xquery **v;
    size_t n, cap;
} qlist;

/* A prefix* whose wildcard query is made once the whole query is parsed,
 * when it is known how many terms the rest of the query leaves to the
 * prefixes. Until then its place is a NULL slot in a group or in neg. */
typedef struct pending {
    char *prefix;
    size_t len;
    int neg;            /* the slot is neg.v[at]; else groups[group].v[at] */
    size_t group, at;
} pending;

/* A clause's words as the intents and the glossary read them. */
typedef struct clause {
    size_t start, end;
    char **stems;
    size_t nstems;
    int simple;
} clause;

struct ns_query {
    qlist *groups;      /* positive clauses, AND'd; each is the OR of its
                         * operands (one, or a OR b OR c) */
    clause *clauses;    /* one per group, in step with groups */
    size_t ngroups, cgroups;
    qlist neg;          /* excluded clauses */
    qlist prefer;       /* optional: they only add weight (ns_query_prefer) */
    qlist fvendor, fmonth, flang; /* filters, OR'd within a kind */
    pending *pend;
    size_t npend, cpend;
    size_t nterms;      /* terms counted so far; each prefix counts one here */
    char **stems;
    size_t nstems;
    char **prefixes;
    size_t nprefixes;
    ns_query_word *words;
    size_t nwords;
    unsigned max_wildcard;
    int *refusal;       /* opts->refusal: where the reason of a refusal goes */
};

/* ---- small helpers ---- */

static int S_push(qlist *l, ns_xquery *x)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        if (cap > SIZE_MAX / sizeof *l->v)
            return NS_ENOMEM;
        ns_xquery **p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return NS_ENOMEM;
        l->v = p;
        l->cap = cap;
    }
    l->v[l->n++] = x;
    return 0;
}

static void S_qlist_free(qlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        ns_xquery_free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Remember a term for highlighting (de-duplicated, capped). */
static int S_add_str(char ***list, size_t *n, const char *s, size_t len)
{
    if (*n >= MAX_STEMS || len == 0)
        return 0;
    for (size_t i = 0; i < *n; i++)
        if (strlen((*list)[i]) == len && memcmp((*list)[i], s, len) == 0)
            return 0;
    char **p = realloc(*list, (*n + 1) * sizeof *p);
    if (!p)
        return NS_ENOMEM;
    *list = p;
    if (!(p[*n] = ns_strndup(s, len)))
        return NS_ENOMEM;
    (*n)++;
    return 0;
}

/* rc, the code of a refusal ns_err_set has described, with its reason
 * (query.h NS_QERR_*) stored where the caller asked. */
static int S_why(const ns_query *q, int reason, int rc)
{
    if (q->refusal)
        *q->refusal = reason;
    return rc;
}

static int S_oom(ns_err *err)
{
    return ns_err_set(err, NS_ENOMEM, "out of memory parsing the query");
}

static int S_too_many(const ns_query *q, ns_err *err)
{
    return S_why(q, NS_QERR_TOO_MANY_TERMS,
                 ns_err_set(err, NS_ETOOBIG,
                            "query has more than %d terms (each word, part of a word, phrase "
                            "word, OR operand, prefix and filter counts); shorten it",
                            NS_QUERY_MAX_TERMS));
}

/* Count n more terms against the cap. Every term is counted before its
 * Xapian query is built, so a query over the cap costs no more than the cap. */
static int S_count(ns_query *q, size_t n, ns_err *err)
{
    if (n > NS_QUERY_MAX_TERMS - q->nterms)
        return S_too_many(q, err);
    q->nterms += n;
    return 0;
}

static int S_nothing(ns_xquery **out, ns_err *err)
{
    return ns_xquery_term(out, NOTHING_TERM, 1, err);
}

/* ---- words and phrases through the analyser ---- */

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
            return S_too_many(q, err);
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

/* Query for one token terms[i0..i1) (all with the same token index). */
static int S_token_query(ns_query *q, const ns_term *t, size_t n, ns_xquery **out, int *plain,
                         ns_err *err)
{
    const ns_term *joined = NULL;
    size_t nparts = 0, nlive = 0;
    uint32_t first = 0, last = 0;
    int rc = 0;
    ns_xquery **subs = NULL;
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
                if (S_add_str(&q->stems, &q->nstems, t[i].term, t[i].len) < 0)
                    return S_oom(err);
                *plain = 1;
                return ns_xquery_term(out, t[i].term, t[i].len, err);
            }
        return 0;
    }
    /* A compound (GPT-3, gpt3): its joined term, or its parts as a phrase,
     * so "GPT-3", "gpt3" and "GPT 3" in a text all match and a lone "3" does not. */
    if (nlive) {
        subs = calloc(nlive, sizeof *subs);
        if (!subs)
            return S_oom(err);
        size_t k = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
            if (t[i].flags & (NS_TERM_JOINED | NS_TERM_STOP))
                continue;
            rc = ns_xquery_term(&subs[k], t[i].term, t[i].len, err);
            if (rc == 0)
                k++;
        }
        if (rc == 0) {
            if (k == 1)
                rc = ns_xquery_combine(&phrase, NS_XQ_OR, subs, 1, 0, err);
            else
                rc = ns_xquery_combine(&phrase, NS_XQ_PHRASE, subs, k, last - first + 1, err);
        }
        for (size_t i = 0; i < k; i++)
            ns_xquery_free(subs[i]);
        free(subs);
        if (rc < 0)
            goto done;
    }
    if (joined) {
        if (S_add_str(&q->stems, &q->nstems, joined->term, joined->len) < 0) {
            rc = S_oom(err);
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

static void S_clause_clear(clause *c)
{
    for (size_t i = 0; i < c->nstems; i++)
        free(c->stems[i]);
    free(c->stems);
    memset(c, 0, sizeof *c);
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
static int S_word_query(ns_query *q, ns_analyzer *a, const char *text, size_t len, size_t qstart,
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
    if ((rc = S_count(q, nterms, err)) < 0)
        return rc;
    if (c && S_clause_stems(c, t, n) < 0)
        return S_oom(err);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && t[j].token == t[i].token)
            j++;
        ntok++;
        ns_xquery *x = NULL;
        if ((rc = S_token_query(q, t + i, j - i, &x, &plain, err)) < 0)
            goto done;
        if (x && (rc = S_push(&toks, x)) < 0) {
            ns_xquery_free(x);
            rc = S_oom(err);
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
                rc = S_oom(err);
                goto done;
            }
            q->words = p;
            ns_query_word *qw = &p[q->nwords];
            qw->start = qstart + w->start;
            qw->end = qstart + w->end;
            qw->stem = ns_strndup(w->term, w->len);
            qw->folded = NULL;
            if (!qw->stem) {
                rc = S_oom(err);
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
    S_qlist_free(&toks);
    return rc;
}

/* Query for a "phrase": its non-stop part terms in order, within the window
 * its positions span, so stopwords still count ("state of the art"). */
static int S_phrase_query(ns_query *q, ns_analyzer *a, const char *text, size_t len,
                          ns_xquery **out, ns_err *err)
{
    const ns_term *t;
    size_t n;
    qlist parts = { 0 };
    int rc;
    uint32_t first = 0, last = 0;

    *out = NULL;
    if ((rc = S_analyze(q, a, text, len, &t, &n, err)) < 0 ||
        (rc = S_count(q, S_live(t, n), err)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (t[i].flags & (NS_TERM_JOINED | NS_TERM_STOP))
            continue;
        ns_xquery *x;
        if ((rc = ns_xquery_term(&x, t[i].term, t[i].len, err)) < 0)
            goto done;
        if (S_push(&parts, x) < 0) {
            ns_xquery_free(x);
            rc = S_oom(err);
            goto done;
        }
        if (S_add_str(&q->stems, &q->nstems, t[i].term, t[i].len) < 0) {
            rc = S_oom(err);
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
    S_qlist_free(&parts);
    return rc;
}

/* prefix*: the folded prefix to expand (*prefix, malloc'd), or, for a prefix
 * no term can start with, a query matching nothing (*out). Counts one term. */
static int S_prefix(ns_query *q, ns_analyzer *a, const char *text, size_t len, char **prefix,
                    size_t *plen, ns_xquery **out, ns_err *err)
{
    const char *f, *stem;
    size_t flen, slen, nchars = 0;
    int stop = 0, rc;
    char *folded = NULL;

    *out = NULL;
    *prefix = NULL;
    if ((rc = S_count(q, 1, err)) < 0 || (rc = ns_analyze_fold(a, text, len, &f, &flen, err)) < 0)
        return rc;
    nchars = ns_utf8_chars(f, flen);
    if (nchars < 2)
        return S_why(q, NS_QERR_PREFIX_SHORT,
                     ns_err_set(err, NS_ESYNTAX, "prefix '%.*s*' is too short",
                                (int)(len > 100 ? 100 : len), text));
    if (flen > NS_TERM_MAX)
        return S_nothing(out, err); /* no term is that long */
    if (!(folded = ns_strndup(f, flen)))
        return S_oom(err);
    /* "translation*" must reach the stems "translat...": when the word's own
     * stem is a shorter prefix of it, expand the stem instead. */
    if (ns_analyze_word(a, text, len, &stem, &slen, &stop, NULL) == 0 && !stop && slen > 0 &&
        slen < flen && memcmp(stem, folded, slen) == 0) {
        folded[slen] = '\0';
        flen = slen;
    }
    if (S_add_str(&q->prefixes, &q->nprefixes, folded, flen) < 0) {
        free(folded);
        return S_oom(err);
    }
    *prefix = folded;
    *plen = flen;
    return 0;
}

/* ---- filters ---- */

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

static int S_bad_month(const ns_query *q, ns_err *err, const char *s, size_t len)
{
    return S_why(q, NS_QERR_MONTH,
                 ns_err_set(err, NS_ESYNTAX, "month '%.*s' is not a valid YYYY-MM",
                            (int)(len > 100 ? 100 : len), s));
}

static int S_filter_month(ns_query *q, const char *s, size_t len, ns_err *err)
{
    int y1, m1, y2, m2, rc;
    ns_xquery *x = NULL;
    const char *dots = NULL;

    if ((rc = S_count(q, 1, err)) < 0)
        return rc;
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = s + i;
            break;
        }
    if (!dots) {
        if (S_month_parse(s, len, &y1, &m1) < 0)
            return S_bad_month(q, err, s, len);
        char term[16];
        snprintf(term, sizeof term, NS_PREFIX_MONTH "%04d-%02d", y1, m1);
        rc = ns_xquery_term(&x, term, strlen(term), err);
    } else {
        size_t l1 = (size_t)(dots - s);
        const char *s2 = dots + 2;
        size_t l2 = len - l1 - 2;
        if (S_month_parse(s, l1, &y1, &m1) < 0)
            return S_bad_month(q, err, s, l1);
        if (S_month_parse(s2, l2, &y2, &m2) < 0)
            return S_bad_month(q, err, s2, l2);
        if (y2 * 12 + m2 < y1 * 12 + m1)
            return S_why(q, NS_QERR_MONTH_RANGE,
                         ns_err_set(err, NS_ESYNTAX, "month range '%.*s' ends before it starts",
                                    (int)(len > 100 ? 100 : len), s));
        char lo[16], hi[16];
        snprintf(lo, sizeof lo, "%04d%02d01", y1, m1);
        snprintf(hi, sizeof hi, "%04d%02d31", y2, m2);
        rc = ns_xquery_value_range(&x, NS_SLOT_DATE, lo, hi, err);
    }
    if (rc < 0)
        return rc;
    if (S_push(&q->fmonth, x) < 0) {
        ns_xquery_free(x);
        return S_oom(err);
    }
    return 0;
}

static int S_filter_lang(ns_query *q, const char *s, size_t len, ns_err *err)
{
    const char *term;
    ns_xquery *x;
    int rc;
    if ((rc = S_count(q, 1, err)) < 0)
        return rc;
    if (len == 2 && strncasecmp(s, "en", 2) == 0)
        term = NS_PREFIX_LANG "en";
    else if (len == 2 && strncasecmp(s, "ru", 2) == 0)
        term = NS_PREFIX_LANG "ru";
    else
        return S_why(q, NS_QERR_LANG, ns_err_set(err, NS_ESYNTAX, "lang '%.*s' is not en or ru",
                                                 (int)(len > 100 ? 100 : len), s));
    if ((rc = ns_xquery_term(&x, term, strlen(term), err)) < 0)
        return rc;
    if (S_push(&q->flang, x) < 0) {
        ns_xquery_free(x);
        return S_oom(err);
    }
    return 0;
}

static int S_filter_vendor(ns_query *q, ns_analyzer *a, const ns_vendors *v, const char *s,
                           size_t len, ns_err *err)
{
    const char *name = NULL, *f;
    size_t flen;
    ns_buf term = NS_BUF_INIT;
    ns_xquery *x = NULL;
    int rc;

    if ((rc = S_count(q, 1, err)) < 0)
        return rc;
    if (len == 0)
        return S_why(q, NS_QERR_VENDOR_EMPTY,
                     ns_err_set(err, NS_ESYNTAX, "vendor filter needs a name"));
    if (v)
        name = ns_vendors_canonical(v, a, s, len);
    /* An unknown vendor is no error: its folded name matches no article. */
    if ((rc = ns_analyze_fold(a, name ? name : s, name ? strlen(name) : len, &f, &flen, err)) < 0)
        return rc;
    if (ns_buf_puts(&term, NS_PREFIX_VENDOR) < 0 || ns_buf_append(&term, f, flen) < 0) {
        rc = S_oom(err);
        goto done;
    }
    if (flen == 0 || term.len > NS_XTERM_MAX || !ns_utf8_valid(term.data, term.len))
        rc = S_nothing(&x, err);
    else
        rc = ns_xquery_term(&x, term.data, term.len, err);
    if (rc < 0)
        goto done;
    if (S_push(&q->fvendor, x) < 0) {
        ns_xquery_free(x);
        rc = S_oom(err);
    }
done:
    ns_buf_free(&term);
    return rc;
}

/* ---- the parser ---- */

/* Add a clause: x, or for a prefix (prefix set, x NULL) a slot that
 * S_expand_prefixes fills. An excluded clause goes to neg; a positive one
 * joins the last group when an OR came between them, else starts a group.
 * Nothing at all (x and prefix NULL: stopwords) ends a pending OR. */
static int S_add_clause(ns_query *q, ns_xquery *x, char *prefix, size_t plen, int neg,
                        int *pending_or, int *last_pos, ns_err *err)
{
    qlist *l;
    int rc = 0;
    if (!x && !prefix) {
        *pending_or = 0;
        *last_pos = 0;
        return 0;
    }
    if (prefix && q->npend == q->cpend) {
        size_t cap = q->cpend ? q->cpend * 2 : 4;
        pending *p = cap <= SIZE_MAX / sizeof *p ? realloc(q->pend, cap * sizeof *p) : NULL;
        if (!p) {
            rc = S_oom(err);
            goto fail;
        }
        q->pend = p;
        q->cpend = cap;
    }
    if (neg) {
        l = &q->neg;
    } else if (*pending_or && q->ngroups > 0) {
        l = &q->groups[q->ngroups - 1];
        q->clauses[q->ngroups - 1].simple = 0; /* a OR b: not one word */
    } else {
        if (q->ngroups == q->cgroups) {
            size_t cap = q->cgroups ? q->cgroups * 2 : 8;
            qlist *g = cap <= SIZE_MAX / sizeof *g ? realloc(q->groups, cap * sizeof *g) : NULL;
            if (!g) {
                rc = S_oom(err);
                goto fail;
            }
            q->groups = g;
            clause *c = cap <= SIZE_MAX / sizeof *c ? realloc(q->clauses, cap * sizeof *c) : NULL;
            if (!c) {
                rc = S_oom(err);
                goto fail;
            }
            q->clauses = c;
            q->cgroups = cap;
        }
        memset(&q->clauses[q->ngroups], 0, sizeof q->clauses[0]);
        l = &q->groups[q->ngroups++];
        memset(l, 0, sizeof *l);
    }
    if (S_push(l, x) < 0) {
        rc = S_oom(err);
        goto fail;
    }
    if (prefix) {
        pending *p = &q->pend[q->npend++];
        p->prefix = prefix;
        p->len = plen;
        p->neg = neg;
        p->group = neg ? 0 : q->ngroups - 1;
        p->at = l->n - 1;
    }
    *pending_or = 0;
    *last_pos = !neg;
    return 0;
fail:
    ns_xquery_free(x);
    free(prefix);
    return rc;
}

/* Make the wildcard query of every prefix. The prefixes share what the other
 * terms leave of NS_QUERY_MAX_TERMS (each counted one so far, so each gets at
 * least one), each expanding to at most max_wildcard of its commonest terms. */
static int S_expand_prefixes(ns_query *q, ns_err *err)
{
    if (q->npend == 0)
        return 0;
    size_t share = (NS_QUERY_MAX_TERMS - (q->nterms - q->npend)) / q->npend;
    unsigned limit = share < q->max_wildcard ? (unsigned)share : q->max_wildcard;
    for (size_t i = 0; i < q->npend; i++) {
        pending *p = &q->pend[i];
        ns_xquery **slot = p->neg ? &q->neg.v[p->at] : &q->groups[p->group].v[p->at];
        int rc = ns_xquery_wildcard(slot, p->prefix, p->len, limit, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Drop what an excluded clause added: it is neither highlighted nor corrected. */
static void S_forget(ns_query *q, size_t nstems, size_t nprefixes, size_t nwords)
{
    while (q->nstems > nstems)
        free(q->stems[--q->nstems]);
    while (q->nprefixes > nprefixes)
        free(q->prefixes[--q->nprefixes]);
    while (q->nwords > nwords) {
        q->nwords--;
        free(q->words[q->nwords].stem);
        free(q->words[q->nwords].folded);
    }
}

/* Match "key:" case-insensitively at s; returns its length or 0. */
static size_t S_field(const char *s, size_t len, const char *key)
{
    size_t k = strlen(key);
    if (len > k && strncasecmp(s, key, k) == 0 && s[k] == ':')
        return k + 1;
    return 0;
}

int ns_query_parse(ns_query **out, ns_analyzer *a, const ns_vendors *v, const char *text,
                   size_t len, const ns_search_opts *opts, ns_err *err)
{
    ns_query *q = calloc(1, sizeof *q);
    char *s = NULL;
    int rc = 0, pending_or = 0, last_pos = 0;

    *out = NULL;
    if (!q)
        return S_oom(err);
    q->max_wildcard = opts && opts->max_wildcard ? opts->max_wildcard : NS_QUERY_MAX_WILDCARD;
    q->refusal = opts ? opts->refusal : NULL;
    if (q->refusal)
        *q->refusal = 0;
    /* Invalid UTF-8 and NUL bytes become spaces, byte for byte, so offsets
     * into the copy are offsets into the query as given. */
    if (!(s = malloc(len + 1))) {
        rc = S_oom(err);
        goto done;
    }
    for (size_t i = 0; i < len;) {
        if ((unsigned char)text[i] - 1u < 0x7Fu) { /* ASCII but NUL, the common case */
            s[i] = text[i];
            i++;
            continue;
        }
        int32_t cp;
        int k = ns_utf8_decode(text + i, len - i, &cp);
        if (cp <= 0) {
            s[i++] = ' ';
            continue;
        }
        memcpy(s + i, text + i, (size_t)k);
        i += (size_t)k;
    }
    s[len] = '\0';

    size_t i = 0;
    while (i < len) {
        while (i < len && ns_is_space(s[i]))
            i++;
        if (i >= len)
            break;
        int neg = 0;
        if (s[i] == '-' && i + 1 < len && !ns_is_space(s[i + 1]) && s[i + 1] != '-') {
            neg = 1;
            i++;
        }
        ns_xquery *x = NULL;
        char *prefix = NULL;
        size_t plen = 0;
        size_t ns0 = q->nstems, np0 = q->nprefixes;
        clause c = { 0 };
        if (s[i] == '"') {
            size_t b = i + 1, e = b;
            while (e < len && s[e] != '"')
                e++;
            /* An unbalanced quote makes the rest of the query the phrase. */
            i = e < len ? e + 1 : e;
            if ((rc = S_phrase_query(q, a, s + b, e - b, &x, err)) < 0)
                goto done;
            if (neg)
                S_forget(q, ns0, np0, q->nwords); /* excluded: not highlighted */
            if ((rc = S_add_clause(q, x, NULL, 0, neg, &pending_or, &last_pos, err)) < 0)
                goto done;
            continue;
        }
        size_t fk;
        int kind = 0;
        if ((fk = S_field(s + i, len - i, "vendor")))
            kind = 'v';
        else if ((fk = S_field(s + i, len - i, "month")))
            kind = 'm';
        else if ((fk = S_field(s + i, len - i, "lang")))
            kind = 'l';
        if (kind) {
            size_t b = i + fk, e;
            if (b < len && s[b] == '"') {
                b++;
                e = b;
                while (e < len && s[e] != '"')
                    e++;
                i = e < len ? e + 1 : e;
            } else {
                e = b;
                while (e < len && !ns_is_space(s[e]))
                    e++;
                i = e;
            }
            if (neg) {
                rc = S_why(q, NS_QERR_NEGATED_FILTER,
                           ns_err_set(err, NS_ESYNTAX, "a %s: filter cannot be excluded",
                                      kind == 'v' ? "vendor" : kind == 'm' ? "month" : "lang"));
                goto done;
            }
            if (kind == 'v')
                rc = S_filter_vendor(q, a, v, s + b, e - b, err);
            else if (kind == 'm')
                rc = S_filter_month(q, s + b, e - b, err);
            else
                rc = S_filter_lang(q, s + b, e - b, err);
            if (rc < 0)
                goto done;
            /* Filters do not break an OR between the clauses around them. */
            continue;
        }
        size_t b = i, e = i;
        while (e < len && !ns_is_space(s[e]) && s[e] != '"')
            e++;
        i = e;
        if (!neg && e - b == 2 && s[b] == 'O' && s[b + 1] == 'R') {
            pending_or = last_pos;
            last_pos = 0;
            continue;
        }
        if (e > b && s[e - 1] == '*') {
            size_t pe = e;
            while (pe > b && s[pe - 1] == '*')
                pe--;
            rc = S_prefix(q, a, s + b, pe - b, &prefix, &plen, &x, err);
            if (neg)
                S_forget(q, ns0, np0, q->nwords);
        } else {
            size_t nw0 = q->nwords;
            rc = S_word_query(q, a, s + b, e - b, b, neg ? NULL : &c, &x, err);
            if (neg)
                S_forget(q, ns0, np0, nw0); /* an excluded word is not corrected */
        }
        if (rc < 0) {
            S_clause_clear(&c);
            goto done;
        }
        size_t ng0 = q->ngroups;
        if ((rc = S_add_clause(q, x, prefix, plen, neg, &pending_or, &last_pos, err)) < 0) {
            S_clause_clear(&c);
            goto done;
        }
        if (q->ngroups > ng0 && c.nstems > 0) {
            /* A new group of one plain word item. */
            c.start = b;
            c.end = e;
            c.simple = 1;
            q->clauses[q->ngroups - 1] = c;
        } else {
            S_clause_clear(&c);
        }
        memset(&c, 0, sizeof c);
    }

    /* Options join the inline filters of their kind. */
    if (opts) {
        for (size_t k = 0; k < opts->nvendors; k++)
            if (opts->vendors[k] &&
                (rc = S_filter_vendor(q, a, v, opts->vendors[k], strlen(opts->vendors[k]), err)) < 0)
                goto done;
        if (opts->month && (rc = S_filter_month(q, opts->month, strlen(opts->month), err)) < 0)
            goto done;
        if (opts->lang && (rc = S_filter_lang(q, opts->lang, strlen(opts->lang), err)) < 0)
            goto done;
    }
    if ((rc = S_expand_prefixes(q, err)) < 0)
        goto done;
    *out = q;
    q = NULL;
done:
    free(s);
    ns_query_free(q);
    return rc;
}

void ns_query_free(ns_query *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->ngroups; i++) {
        S_qlist_free(&q->groups[i]);
        S_clause_clear(&q->clauses[i]);
    }
    free(q->groups);
    free(q->clauses);
    S_qlist_free(&q->neg);
    S_qlist_free(&q->prefer);
    S_qlist_free(&q->fvendor);
    S_qlist_free(&q->fmonth);
    S_qlist_free(&q->flang);
    for (size_t i = 0; i < q->npend; i++)
        free(q->pend[i].prefix);
    free(q->pend);
    for (size_t i = 0; i < q->nstems; i++)
        free(q->stems[i]);
    free(q->stems);
    for (size_t i = 0; i < q->nprefixes; i++)
        free(q->prefixes[i]);
    free(q->prefixes);
    for (size_t i = 0; i < q->nwords; i++) {
        free(q->words[i].stem);
        free(q->words[i].folded);
    }
    free(q->words);
    free(q);
}

/* ---- building ---- */

/* *x = op(*x, subs...), replacing and freeing the old *x. */
static int S_wrap(ns_xquery **x, enum ns_xop op, ns_xquery *const *subs, size_t n, ns_err *err)
{
    ns_xquery **all = calloc(n + 1, sizeof *all);
    ns_xquery *o = NULL;
    if (!all)
        return S_oom(err);
    all[0] = *x;
    for (size_t i = 0; i < n; i++)
        all[i + 1] = subs[i];
    int rc = ns_xquery_combine(&o, op, all, n + 1, 0, err);
    free(all);
    if (rc < 0)
        return rc;
    ns_xquery_free(*x);
    *x = o;
    return 0;
}

/* The positive part: AND of the groups, each the OR of its operands; or,
 * relaxed, the OR of the groups, each weighing NS_QUERY_COORD_WEIGHT more,
 * so that articles rank by the number of groups they match (coordination),
 * then by BM25. Each operator takes its whole list at once: a chain of
 * nested pairs made Xapian recurse once per operand (10,000 ORs took 22 s). */
static int S_positive(const ns_query *q, int relaxed, ns_xquery **out, ns_err *err)
{
    size_t n = q->ngroups;
    int rc = 0;
    ns_xquery **v = calloc(n, sizeof *v), **own = calloc(2 * n, sizeof *own);
    size_t k = 0, nown = 0;
    if (!v || !own) {
        rc = S_oom(err);
        goto done;
    }
    for (size_t g = 0; g < q->ngroups; g++) {
        const qlist *l = &q->groups[g];
        ns_xquery *x = l->v[0];
        if (l->n > 1) {
            if ((rc = ns_xquery_combine(&own[nown], NS_XQ_OR, l->v, l->n, 0, err)) < 0)
                goto done;
            x = own[nown++];
        }
        if (relaxed) {
            if ((rc = ns_xquery_boost(&own[nown], x, NS_QUERY_COORD_WEIGHT, err)) < 0)
                goto done;
            x = own[nown++];
        }
        v[k++] = x;
    }
    rc = ns_xquery_combine(out, relaxed ? NS_XQ_OR : NS_XQ_AND, v, k, 0, err);
done:
    for (size_t i = 0; i < nown; i++)
        ns_xquery_free(own[i]);
    free(own);
    free(v);
    return rc;
}

int ns_query_build(const ns_query *q, int relaxed, ns_xquery **out, ns_err *err)
{
    return ns_query_build_except(q, relaxed, 0, out, err);
}

int ns_query_has_filter(const ns_query *q, int kind)
{
    const qlist *l = kind == NS_QUERY_VENDOR ? &q->fvendor : kind == NS_QUERY_MONTH ? &q->fmonth
                   : kind == NS_QUERY_LANG   ? &q->flang : NULL;
    return l && l->n > 0;
}

int ns_query_only_filters(const ns_query *q, int kinds)
{
    return q->ngroups == 0 && q->neg.n == 0 && (q->fvendor.n == 0 || (kinds & NS_QUERY_VENDOR)) &&
           (q->fmonth.n == 0 || (kinds & NS_QUERY_MONTH)) &&
           (q->flang.n == 0 || (kinds & NS_QUERY_LANG));
}

int ns_query_build_except(const ns_query *q, int relaxed, int omit, ns_xquery **out, ns_err *err)
{
    ns_xquery *main = NULL, *kinds[3] = { NULL, NULL, NULL };
    size_t nkinds = 0;
    int rc = 0;
    const qlist *fl[3] = { &q->fvendor, &q->fmonth, &q->flang };
    const int bit[3] = { NS_QUERY_VENDOR, NS_QUERY_MONTH, NS_QUERY_LANG };

    *out = NULL;
    int nfilters = q->fvendor.n + q->fmonth.n + q->flang.n > 0;
    if (q->ngroups == 0 && q->neg.n == 0 && !nfilters)
        return 0; /* only stopwords or punctuation: nothing can match */
    if (q->ngroups == 0)
        rc = ns_xquery_match_all(&main, err);
    else
        rc = S_positive(q, relaxed, &main, err);
    if (rc < 0)
        goto done;
    if (q->prefer.n && q->ngroups > 0 && (rc = S_wrap(&main, NS_XQ_AND_MAYBE, q->prefer.v,
                                                      q->prefer.n, err)) < 0)
        goto done;
    if (q->neg.n) {
        ns_xquery *negs = NULL;
        if ((rc = ns_xquery_combine(&negs, NS_XQ_OR, q->neg.v, q->neg.n, 0, err)) < 0)
            goto done;
        rc = S_wrap(&main, NS_XQ_AND_NOT, &negs, 1, err);
        ns_xquery_free(negs);
        if (rc < 0)
            goto done;
    }
    for (int k = 0; k < 3; k++) {
        if (fl[k]->n == 0 || (omit & bit[k]))
            continue;
        if ((rc = ns_xquery_combine(&kinds[nkinds], NS_XQ_OR, fl[k]->v, fl[k]->n, 0, err)) < 0)
            goto done;
        nkinds++;
    }
    if (nkinds && (rc = S_wrap(&main, NS_XQ_FILTER, kinds, nkinds, err)) < 0)
        goto done;
    *out = main;
    main = NULL;
done:
    for (size_t k = 0; k < nkinds; k++)
        ns_xquery_free(kinds[k]);
    ns_xquery_free(main);
    return rc;
}

int ns_query_relaxable(const ns_query *q)
{
    return q->ngroups >= 2;
}

int ns_query_add_highlight(ns_query *q, const char *stem)
{
    return S_add_str(&q->stems, &q->nstems, stem, strlen(stem)) < 0 ? NS_ENOMEM : 0;
}

int ns_query_prefer(ns_query *q, const ns_xquery *x, ns_err *err)
{
    ns_xquery *copy = NULL;
    int rc = ns_xquery_scale(&copy, x, 1.0, err);
    if (rc < 0)
        return rc;
    if (S_push(&q->prefer, copy) < 0) {
        ns_xquery_free(copy);
        return S_oom(err);
    }
    return 0;
}

size_t ns_query_groups(const ns_query *q)
{
    return q->ngroups;
}

int ns_query_clause_at(const ns_query *q, size_t g, ns_query_clause *out)
{
    memset(out, 0, sizeof *out);
    if (g >= q->ngroups || !q->clauses[g].simple)
        return 0;
    out->start = q->clauses[g].start;
    out->end = q->clauses[g].end;
    out->stems = (const char *const *)q->clauses[g].stems;
    out->nstems = q->clauses[g].nstems;
    return 1;
}

int ns_query_merge(ns_query *q, size_t first, size_t n, const ns_xquery *alt, int exclusive,
                   ns_err *err)
{
    ns_xquery *part = NULL;
    int rc;
    if (n == 0 || first >= q->ngroups || n > q->ngroups - first || !alt)
        return ns_err_set(err, NS_EINVAL, "ns_query_merge: no such groups");
    for (size_t g = first; g < first + n; g++)
        if (!q->clauses[g].simple || q->groups[g].n != 1)
            return ns_err_set(err, NS_EINVAL, "ns_query_merge: group %zu is not one word", g);
    /* Each group takes its share of alt, so an article that meets them all
     * through alt weighs alt once, and each still counts as a clause met. */
    if ((rc = ns_xquery_scale(&part, alt, 1.0 / (double)n, err)) < 0)
        return rc;
    for (size_t g = first; g < first + n && rc == 0; g++) {
        ns_xquery *own = q->groups[g].v[0], *other = part, *only = NULL, *either = NULL;
        if (exclusive) {
            ns_xquery *but[2] = { part, own };
            if ((rc = ns_xquery_combine(&only, NS_XQ_AND_NOT, but, 2, 0, err)) < 0)
                break;
            other = only;
        }
        ns_xquery *two[2] = { own, other };
        rc = ns_xquery_combine(&either, NS_XQ_OR, two, 2, 0, err);
        ns_xquery_free(only);
        if (rc < 0)
            break;
        ns_xquery_free(own);
        q->groups[g].v[0] = either;
        q->clauses[g].simple = 0;
    }
    ns_xquery_free(part);
    return rc;
}

const char *const *ns_query_stems(const ns_query *q, size_t *count)
{
    *count = q->nstems;
    return (const char *const *)q->stems;
}

const char *const *ns_query_prefixes(const ns_query *q, size_t *count)
{
    *count = q->nprefixes;
    return (const char *const *)q->prefixes;
}

const ns_query_word *ns_query_words(const ns_query *q, size_t *count)
{
    *count = q->nwords;
    return q->words;
}
