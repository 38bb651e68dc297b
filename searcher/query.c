/* query.c: the query language parser (query.h): the text read item by
 * item into the groups, exclusions and filters of an ns_query. Words and
 * phrases go through qwords.c, filters through qfilter.c; building the
 * Xapian query is qbuild.c's. */
#include "query_impl.h"

#include "qfilter.h"
#include "list.h"
#include "str.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- helpers shared with qwords.c and qbuild.c (query_impl.h) ---- */

int ns_qlist_push(qlist *l, ns_xquery *x)
{
    if (ns_array_room(&l->v, l->n, &l->cap, sizeof *l->v, 8) < 0)
        return NS_ENOMEM;
    l->v[l->n++] = x;
    return 0;
}

void ns_qlist_free(qlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        ns_xquery_free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

int ns_query_add_str(char ***list, size_t *n, const char *s, size_t len)
{
    if (*n >= MAX_STEMS || len == 0 || ns_strs_find(*list, *n, s, len) >= 0)
        return 0;
    return ns_strs_add(list, n, s, len);
}

int ns_query_oom(ns_err *err)
{
    return ns_err_set(err, NS_ENOMEM, "out of memory parsing the query");
}

int ns_query_why(const ns_query *q, int reason, int rc)
{
    if (q->refusal)
        *q->refusal = reason;
    return rc;
}

int ns_query_too_many(const ns_query *q, ns_err *err)
{
    return ns_query_why(q, NS_QERR_TOO_MANY_TERMS,
                 ns_err_set(err, NS_ETOOBIG,
                            "query has more than %d terms (each word, part of a word, phrase "
                            "word, OR operand, prefix and filter counts); shorten it",
                            NS_QUERY_MAX_TERMS));
}

/* Count n more terms against the cap. Every term is counted before its
 * Xapian query is built, so a query over the cap costs no more than the cap. */
int ns_query_count(ns_query *q, size_t n, ns_err *err)
{
    if (n > NS_QUERY_MAX_TERMS - q->nterms)
        return ns_query_too_many(q, err);
    q->nterms += n;
    return 0;
}

void ns_query_clause_clear(clause *c)
{
    for (size_t i = 0; i < c->nstems; i++)
        free(c->stems[i]);
    free(c->stems);
    memset(c, 0, sizeof *c);
}

/* ---- filters: counted, made by qfilter.c, OR'd within their kind ---- */

/* Keep the filter x (made with result rc) in l, its kind's list. */
static int S_keep_filter(qlist *l, ns_xquery *x, int rc, ns_err *err)
{
    if (rc < 0)
        return rc;
    if (ns_qlist_push(l, x) < 0) {
        ns_xquery_free(x);
        return ns_query_oom(err);
    }
    return 0;
}

static int S_filter_month(ns_query *q, const char *s, size_t len, ns_err *err)
{
    ns_xquery *x = NULL;
    int rc = ns_query_count(q, 1, err);
    if (rc == 0)
        rc = ns_qfilter_month(&x, s, len, q->refusal, err);
    return S_keep_filter(&q->fmonth, x, rc, err);
}

static int S_filter_lang(ns_query *q, const char *s, size_t len, ns_err *err)
{
    ns_xquery *x = NULL;
    int rc = ns_query_count(q, 1, err);
    if (rc == 0)
        rc = ns_qfilter_lang(&x, s, len, q->refusal, err);
    return S_keep_filter(&q->flang, x, rc, err);
}

static int S_filter_vendor(ns_query *q, ns_analyzer *a, const ns_vendors *v, const char *s,
                           size_t len, ns_err *err)
{
    ns_xquery *x = NULL;
    int rc = ns_query_count(q, 1, err);
    if (rc == 0)
        rc = ns_qfilter_vendor(&x, a, v, s, len, q->refusal, err);
    return S_keep_filter(&q->fvendor, x, rc, err);
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
            rc = ns_query_oom(err);
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
                rc = ns_query_oom(err);
                goto fail;
            }
            q->groups = g;
            clause *c = cap <= SIZE_MAX / sizeof *c ? realloc(q->clauses, cap * sizeof *c) : NULL;
            if (!c) {
                rc = ns_query_oom(err);
                goto fail;
            }
            q->clauses = c;
            q->cgroups = cap;
        }
        memset(&q->clauses[q->ngroups], 0, sizeof q->clauses[0]);
        l = &q->groups[q->ngroups++];
        memset(l, 0, sizeof *l);
    }
    if (ns_qlist_push(l, x) < 0) {
        rc = ns_query_oom(err);
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

/* Make the query of every prefix: Xapian's wildcard (db NULL), or its terms
 * in db (ns_xdb_expand_prefix), replacing what the slot held. The prefixes
 * share what the other terms leave of NS_QUERY_MAX_TERMS (each counted one
 * so far, so each gets at least one), each expanding to at most
 * max_wildcard of its commonest terms. */
static int S_expand_prefixes(ns_query *q, ns_xdb *db, ns_err *err)
{
    if (q->npend == 0)
        return 0;
    size_t share = (NS_QUERY_MAX_TERMS - (q->nterms - q->npend)) / q->npend;
    unsigned limit = share < q->max_wildcard ? (unsigned)share : q->max_wildcard;
    for (size_t i = 0; i < q->npend; i++) {
        pending *p = &q->pend[i];
        ns_xquery **slot = p->neg ? &q->neg.v[p->at] : &q->groups[p->group].v[p->at];
        ns_xquery *x = NULL;
        int rc = db ? ns_xdb_expand_prefix(db, p->prefix, p->len, limit, &x, err)
                    : ns_xquery_wildcard(&x, p->prefix, p->len, limit, err);
        if (rc < 0)
            return rc;
        ns_xquery_free(*slot);
        *slot = x;
    }
    return 0;
}

int ns_query_expand_prefixes(ns_query *q, ns_xdb *db, ns_err *err)
{
    if (!q || !db)
        return ns_err_set(err, NS_EINVAL, "ns_query_expand_prefixes: NULL argument");
    return S_expand_prefixes(q, db, err);
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

/* The query text as parsed: invalid UTF-8 and NUL bytes become spaces, byte
 * for byte, so offsets into the copy are offsets into the query as given.
 * NULL when out of memory; the caller frees it. */
static char *S_clean_copy(const char *text, size_t len)
{
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
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
    return s;
}

/* Where the parser is: the cleaned text, the next byte, and the state of an
 * OR between clauses. */
typedef struct reader {
    ns_query *q;
    ns_analyzer *a;
    const ns_vendors *v;
    const char *s;
    size_t len, i;
    int pending_or; /* an OR came after a positive clause */
    int last_pos;   /* the last clause was positive (an OR may follow it) */
} reader;

/* A "phrase" at r->i (the opening quote), excluded when neg. */
static int S_read_phrase(reader *r, int neg, ns_err *err)
{
    ns_query *q = r->q;
    size_t ns0 = q->nstems, np0 = q->nprefixes;
    ns_xquery *x = NULL;
    size_t b = r->i + 1, e = b;
    int rc;
    while (e < r->len && r->s[e] != '"')
        e++;
    /* An unbalanced quote makes the rest of the query the phrase. */
    r->i = e < r->len ? e + 1 : e;
    if ((rc = ns_qwords_phrase(q, r->a, r->s + b, e - b, &x, err)) < 0)
        return rc;
    if (neg)
        S_forget(q, ns0, np0, q->nwords); /* excluded: not highlighted */
    return S_add_clause(q, x, NULL, 0, neg, &r->pending_or, &r->last_pos, err);
}

/* A filter kind:value at r->i, the "kind:" fk bytes long; kind 'v', 'm' or
 * 'l'. The value may be quoted. */
static int S_read_filter(reader *r, size_t fk, int kind, int neg, ns_err *err)
{
    size_t b = r->i + fk, e;
    if (b < r->len && r->s[b] == '"') {
        b++;
        e = b;
        while (e < r->len && r->s[e] != '"')
            e++;
        r->i = e < r->len ? e + 1 : e;
    } else {
        e = b;
        while (e < r->len && !ns_is_space(r->s[e]))
            e++;
        r->i = e;
    }
    if (neg)
        return ns_query_why(r->q, NS_QERR_NEGATED_FILTER,
                            ns_err_set(err, NS_ESYNTAX, "a %s: filter cannot be excluded",
                                       kind == 'v' ? "vendor" : kind == 'm' ? "month" : "lang"));
    /* Filters do not break an OR between the clauses around them. */
    if (kind == 'v')
        return S_filter_vendor(r->q, r->a, r->v, r->s + b, e - b, err);
    if (kind == 'm')
        return S_filter_month(r->q, r->s + b, e - b, err);
    return S_filter_lang(r->q, r->s + b, e - b, err);
}

/* A word, prefix* or OR at r->i, excluded when neg. */
static int S_read_word(reader *r, int neg, ns_err *err)
{
    ns_query *q = r->q;
    const char *s = r->s;
    size_t ns0 = q->nstems, np0 = q->nprefixes;
    ns_xquery *x = NULL;
    char *prefix = NULL;
    size_t plen = 0;
    clause c = { 0 };
    int rc;
    size_t b = r->i, e = r->i;
    while (e < r->len && !ns_is_space(s[e]) && s[e] != '"')
        e++;
    r->i = e;
    if (!neg && e - b == 2 && s[b] == 'O' && s[b + 1] == 'R') {
        r->pending_or = r->last_pos;
        r->last_pos = 0;
        return 0;
    }
    if (e > b && s[e - 1] == '*') {
        size_t pe = e;
        while (pe > b && s[pe - 1] == '*')
            pe--;
        rc = ns_qwords_prefix(q, r->a, s + b, pe - b, &prefix, &plen, &x, err);
        if (neg)
            S_forget(q, ns0, np0, q->nwords);
    } else {
        size_t nw0 = q->nwords;
        rc = ns_qwords_word(q, r->a, s + b, e - b, b, neg ? NULL : &c, &x, err);
        if (neg)
            S_forget(q, ns0, np0, nw0); /* an excluded word is not corrected */
    }
    if (rc < 0) {
        ns_query_clause_clear(&c);
        return rc;
    }
    size_t ng0 = q->ngroups;
    if ((rc = S_add_clause(q, x, prefix, plen, neg, &r->pending_or, &r->last_pos, err)) < 0) {
        ns_query_clause_clear(&c);
        return rc;
    }
    if (q->ngroups > ng0 && c.nstems > 0) {
        /* A new group of one plain word item. */
        c.start = b;
        c.end = e;
        c.simple = 1;
        q->clauses[q->ngroups - 1] = c;
    } else {
        ns_query_clause_clear(&c);
    }
    return 0;
}

/* The next item at r->i (spaces skipped). */
static int S_read_item(reader *r, ns_err *err)
{
    const char *s = r->s;
    size_t len = r->len;
    while (r->i < len && ns_is_space(s[r->i]))
        r->i++;
    if (r->i >= len)
        return 0;
    int neg = 0;
    size_t i = r->i;
    if (s[i] == '-' && i + 1 < len && !ns_is_space(s[i + 1]) && s[i + 1] != '-') {
        neg = 1;
        r->i = ++i;
    }
    if (s[i] == '"')
        return S_read_phrase(r, neg, err);
    size_t fk;
    if ((fk = S_field(s + i, len - i, "vendor")))
        return S_read_filter(r, fk, 'v', neg, err);
    if ((fk = S_field(s + i, len - i, "month")))
        return S_read_filter(r, fk, 'm', neg, err);
    if ((fk = S_field(s + i, len - i, "lang")))
        return S_read_filter(r, fk, 'l', neg, err);
    return S_read_word(r, neg, err);
}

/* Options join the inline filters of their kind. */
static int S_option_filters(ns_query *q, ns_analyzer *a, const ns_vendors *v,
                            const ns_search_opts *opts, ns_err *err)
{
    int rc;
    for (size_t k = 0; k < opts->nvendors; k++)
        if (opts->vendors[k] &&
            (rc = S_filter_vendor(q, a, v, opts->vendors[k], strlen(opts->vendors[k]), err)) < 0)
            return rc;
    if (opts->month && (rc = S_filter_month(q, opts->month, strlen(opts->month), err)) < 0)
        return rc;
    if (opts->lang && (rc = S_filter_lang(q, opts->lang, strlen(opts->lang), err)) < 0)
        return rc;
    return 0;
}

int ns_query_parse(ns_query **out, ns_analyzer *a, const ns_vendors *v, const char *text,
                   size_t len, const ns_search_opts *opts, ns_err *err)
{
    ns_query *q = calloc(1, sizeof *q);
    char *s = NULL;
    int rc = 0;

    *out = NULL;
    if (!q)
        return ns_query_oom(err);
    q->max_wildcard = opts && opts->max_wildcard ? opts->max_wildcard : NS_QUERY_MAX_WILDCARD;
    q->refusal = opts ? opts->refusal : NULL;
    if (q->refusal)
        *q->refusal = 0;
    if (!(s = S_clean_copy(text, len))) {
        rc = ns_query_oom(err);
        goto done;
    }
    reader r = { .q = q, .a = a, .v = v, .s = s, .len = len, .i = 0, .pending_or = 0,
                 .last_pos = 0 };
    while (r.i < len)
        if ((rc = S_read_item(&r, err)) < 0)
            goto done;
    if (opts && (rc = S_option_filters(q, a, v, opts, err)) < 0)
        goto done;
    if ((rc = S_expand_prefixes(q, NULL, err)) < 0)
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
        ns_qlist_free(&q->groups[i]);
        ns_query_clause_clear(&q->clauses[i]);
    }
    free(q->groups);
    free(q->clauses);
    ns_qlist_free(&q->neg);
    ns_qlist_free(&q->prefer);
    ns_qlist_free(&q->fvendor);
    ns_qlist_free(&q->fmonth);
    ns_qlist_free(&q->flang);
    for (size_t i = 0; i < q->npend; i++)
        free(q->pend[i].prefix);
    free(q->pend);
    ns_strs_free(q->stems, q->nstems);
    ns_strs_free(q->prefixes, q->nprefixes);
    for (size_t i = 0; i < q->nwords; i++) {
        free(q->words[i].stem);
        free(q->words[i].folded);
    }
    free(q->words);
    free(q);
}

