/* search.c: one search from query text to a page of results (search.h). */
#include "search.h"
#include "str.h"

#include "analyze.h"
#include "buf.h"
#include "query.h"
#include "schema.h"
#include "snippet.h"
#include "utf8.h"
#include "vendors.h"
#include "xapian_shim.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A concurrent nindex commit can invalidate a reader more than once in a
 * row; beyond this many retries something else is wrong. */
#define MAX_RETRIES 5

/* Spelling suggestions: words shorter than SUGGEST_MIN_CHARS get none,
 * shorter than SUGGEST_LONG_CHARS at most one edit (else two), and at most
 * SUGGEST_MAX_LOOKUPS words of a query are looked up. */
#define SUGGEST_MIN_CHARS 4
#define SUGGEST_LONG_CHARS 6
#define SUGGEST_MAX_LOOKUPS 3

struct ns_searcher {
    ns_xdb *db;
    ns_analyzer *a;
    ns_record_codec *codec; /* decompresses the stored text of results */
    ns_vendors *v;       /* loaded on first use: analysing every alias costs
                          * more than a whole search, and most queries name no
                          * vendor (facet counts do not need the table) */
    int fresh_open;      /* db was opened by ns_searcher_open and not yet searched:
                          * no need to reopen it before the first search */
    char *path;          /* the database directory */
    dev_t dev;           /* its identity when db was opened: nindex --rebuild */
    ino_t ino;           /* swaps in a new directory (see S_refresh) */
};


/* ---- opening ---- */

/* Open s->path into s->db, checking the schema, and note which directory it
 * was. The identity is taken before opening: if a swap lands in between,
 * the next search sees a changed identity and opens again, which is safe. */
static int S_open_db(ns_searcher *s, ns_err *err)
{
    char *schema = NULL;
    size_t slen = 0;
    struct stat st;
    int rc;

    memset(&st, 0, sizeof st);
    int exists = stat(s->path, &st) == 0;
    if (!exists)
        memset(&st, 0, sizeof st);
    s->dev = st.st_dev;
    s->ino = st.st_ino;
    if ((rc = ns_xdb_open(&s->db, s->path, err)) < 0) {
        /* Xapian says "not found" also for a directory it cannot recognise,
         * e.g. a database whose files were lost: "no database" would send
         * the user to build one over it without saying it is damaged. */
        if (rc == NS_ENOTFOUND && !exists)
            ns_err_set(err, rc, "no database at '%s'", s->path);
        else if (rc == NS_ENOTFOUND)
            rc = ns_err_set(err, NS_ECORRUPT,
                            "'%s' exists but is not a readable Xapian database (damaged?"
                            " nindex will not write over it: move it away and build the"
                            " database again with nindex)", s->path);
        goto done;
    }
    if ((rc = ns_xdb_get_metadata(s->db, NS_META_SCHEMA, &schema, &slen, err)) < 0)
        goto done;
    /* An empty value is a database nindex is still creating: fine. */
    if (slen > 0 && (atoi(schema) < NS_SCHEMA_OLDEST_READABLE || atoi(schema) > NS_SCHEMA_VERSION)) {
        rc = ns_err_set(err, NS_ECORRUPT,
                        "database at '%s' has schema %.20s, this nsearch reads %d to %d "
                        "(rebuild it with nindex --rebuild)",
                        s->path, schema, NS_SCHEMA_OLDEST_READABLE, NS_SCHEMA_VERSION);
        goto done;
    }
done:
    free(schema);
    if (rc < 0) {
        ns_xdb_free(s->db);
        s->db = NULL;
    }
    return rc;
}

/* Has the database directory been replaced since s->db was opened? */
static int S_swapped(const ns_searcher *s)
{
    struct stat st;
    if (stat(s->path, &st) < 0)
        return 1;
    return st.st_dev != s->dev || st.st_ino != s->ino;
}

/* Bring s->db to the latest state. nindex --rebuild builds a new database
 * beside the old one and swaps the directories; Xapian's reopen would then
 * mix the tables of two databases, so a swapped directory is opened
 * afresh, and only an unchanged one is reopened in place. */
static int S_refresh(ns_searcher *s, int fresh, ns_err *err)
{
    if (s->db && s->fresh_open && !fresh) {
        s->fresh_open = 0; /* opened a moment ago: already the latest state */
        return 0;
    }
    s->fresh_open = 0;
    if (s->db && !fresh && !S_swapped(s))
        return ns_xdb_reopen(s->db, NULL, err);
    ns_xdb_free(s->db);
    s->db = NULL;
    return S_open_db(s, err);
}

int ns_searcher_open(ns_searcher **out, const char *dbpath, ns_err *err)
{
    ns_searcher *s = calloc(1, sizeof *s);
    int rc;

    *out = NULL;
    if (!s || !(s->path = ns_strndup(dbpath, strlen(dbpath)))) {
        free(s);
        return ns_err_set(err, NS_ENOMEM, "out of memory opening the searcher");
    }
    if ((rc = S_open_db(s, err)) < 0)
        goto done;
    if ((rc = ns_analyzer_new(&s->a, err)) < 0 || (rc = ns_record_codec_new(&s->codec, err)) < 0)
        goto done;
    s->fresh_open = 1;
    *out = s;
    s = NULL;
done:
    ns_searcher_close(s);
    return rc;
}

void ns_searcher_close(ns_searcher *s)
{
    if (!s)
        return;
    ns_xdb_free(s->db);
    ns_vendors_free(s->v);
    ns_analyzer_free(s->a);
    ns_record_codec_free(s->codec);
    free(s->path);
    free(s);
}

/* Load the vendor table if it is not loaded yet. */
static int S_vendors(ns_searcher *s, ns_err *err)
{
    if (s->v)
        return 0;
    return ns_vendors_new(&s->v, s->a, err);
}

const char *ns_searcher_vendor(ns_searcher *s, const char *name, size_t len)
{
    if (S_vendors(s, NULL) < 0)
        return NULL; /* only out of memory: the table is compiled in */
    return ns_vendors_canonical(s->v, s->a, name, len);
}

/* Does the query need the vendor table: a --vendor option, or anything
 * that may be a vendor: field (case-insensitive, as the parser reads it)? */
static int S_needs_vendors(const char *query, size_t len, const ns_search_opts *o)
{
    static const char key[] = "vendor:";
    const size_t k = sizeof key - 1;
    if (o->nvendors > 0)
        return 1;
    for (size_t i = 0; i + k <= len; i++)
        if ((query[i] == 'v' || query[i] == 'V') && strncasecmp(query + i, key, k) == 0)
            return 1;
    return 0;
}

/* ---- results ---- */

static void S_clear_page(ns_results *r)
{
    for (size_t i = 0; i < r->nhits; i++) {
        ns_record_clear(&r->hits[i].rec);
        free(r->hits[i].snippet);
        free(r->hits[i].marks);
    }
    free(r->hits);
    r->hits = NULL;
    r->nhits = 0;
    for (size_t i = 0; i < r->nvendor_facets; i++)
        free(r->vendor_facets[i].name);
    free(r->vendor_facets);
    r->vendor_facets = NULL;
    r->nvendor_facets = 0;
    for (size_t i = 0; i < r->nmonth_facets; i++)
        free(r->month_facets[i].name);
    free(r->month_facets);
    r->month_facets = NULL;
    r->nmonth_facets = 0;
    free(r->suggestion);
    r->suggestion = NULL;
    r->total = 0;
    r->relaxed = 0;
}

void ns_results_free(ns_results *r)
{
    if (!r)
        return;
    S_clear_page(r);
    free(r->query);
    free(r);
}

static int S_month_desc(const void *x, const void *y)
{
    const ns_facet_count *a = x, *b = y;
    return strcmp(b->name, a->name);
}

/* Split the facet keys into vendors (already by count, then name) and
 * months (newest first). */
static int S_facets(ns_results *r, const ns_xresults *xr, ns_err *err)
{
    size_t n = ns_xresults_facet_count(xr);
    if (n == 0)
        return 0;
    r->vendor_facets = calloc(n, sizeof *r->vendor_facets);
    r->month_facets = calloc(n, sizeof *r->month_facets);
    if (!r->vendor_facets || !r->month_facets)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        const ns_xfacet *f = ns_xresults_facet(xr, i);
        if (!f || !f->key || !f->key[0])
            continue;
        ns_facet_count *c;
        if (f->key[0] == NS_FACET_MONTH)
            c = &r->month_facets[r->nmonth_facets++];
        else if (f->key[0] == NS_FACET_VENDOR)
            c = &r->vendor_facets[r->nvendor_facets++];
        else
            continue;
        c->count = f->count;
        if (!(c->name = ns_strndup(f->key + 1, strlen(f->key + 1))))
            goto oom;
    }
    qsort(r->month_facets, r->nmonth_facets, sizeof *r->month_facets, S_month_desc);
    return 0;
oom:
    return ns_err_set(err, NS_ENOMEM, "out of memory counting facets");
}

static int S_hits(ns_searcher *s, const ns_query *q, ns_results *r, const ns_xresults *xr,
                  const ns_search_opts *o, ns_err *err)
{
    size_t n = ns_xresults_count(xr), nstems, nprefixes;
    const char *const *stems = ns_query_stems(q, &nstems);
    const char *const *prefixes = ns_query_prefixes(q, &nprefixes);
    unsigned *docids = NULL;
    unsigned char *present = NULL;
    int rc = 0;

    if (n == 0)
        return 0;
    if (!(r->hits = calloc(n, sizeof *r->hits)))
        return ns_err_set(err, NS_ENOMEM, "out of memory reading results");
    /* Which query stems each result has, so that its snippet stops looking
     * once it has found them (a word of a relaxed query, or one that only
     * matched other articles, would otherwise be sought to the end). */
    if (nstems > 0) {
        if (!(docids = calloc(n, sizeof *docids)) || !(present = calloc(n, nstems))) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory reading results");
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            docids[i] = ns_xresults_hit(xr, i)->docid;
        if ((rc = ns_xdb_docs_have_terms(s->db, stems, nstems, docids, n, present, err)) < 0)
            goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const ns_xhit *x = ns_xresults_hit(xr, i);
        ns_hit *h = &r->hits[i];
        r->nhits = i + 1;
        h->rank = o->offset + (unsigned)i + 1;
        h->score = x->score;
        if ((rc = ns_record_decode(&h->rec, s->codec, x->data, x->data_len, err)) < 0)
            goto done;
        /* Every article stores id, title and date: a hit without them means a
         * damaged database (e.g. docdata.glass lost), not an empty article. */
        if (!h->rec.id || !h->rec.title || !h->rec.date) {
            rc = ns_err_set(err, NS_ECORRUPT, "document %u has no stored article data",
                            x->docid);
            goto done;
        }
        if (h->rec.date && strlen(h->rec.date) >= 7) {
            memcpy(h->month, h->rec.date, 7);
            h->month[7] = '\0';
        }
        rc = ns_snippet_make(s->a, h->rec.text ? h->rec.text : "", h->rec.text ? h->rec.text_len : 0,
                             stems, nstems, present ? present + i * nstems : NULL, prefixes,
                             nprefixes, o->snippet_chars, &h->snippet, &h->marks, &h->nmarks, err);
        if (rc < 0)
            goto done;
        /* The text was only needed for the snippet; pages stay small. */
        free(h->rec.text);
        h->rec.text = NULL;
        h->rec.text_len = 0;
    }
done:
    free(docids);
    free(present);
    return rc;
}

/* The query with each unknown word replaced by the spelling table's best
 * correction, or NULL when no word changes. */
static int S_suggest(ns_searcher *s, const ns_query *q, const char *query, size_t len,
                     char **out, ns_err *err)
{
    size_t nw, at = 0;
    const ns_query_word *w = ns_query_words(q, &nw);
    ns_buf b = NS_BUF_INIT;
    int changed = 0, rc = 0;
    unsigned lookups = 0;

    *out = NULL;
    for (size_t i = 0; i < nw; i++) {
        size_t flen, nchars;
        unsigned tf = 0;
        char *fix = NULL;
        if (!w[i].folded || w[i].end > len || w[i].start < at)
            continue;
        flen = strlen(w[i].folded);
        nchars = ns_utf8_chars(w[i].folded, flen);
        /* A lookup costs milliseconds (tens for Cyrillic, whose two-byte
         * letters make Xapian's byte trigrams unselective): short words,
         * where a correction is mostly a guess, get none, and a long query
         * only its first few unknown words. */
        if (nchars < SUGGEST_MIN_CHARS)
            continue;
        if (lookups >= SUGGEST_MAX_LOOKUPS)
            break;
        if ((rc = ns_xdb_termfreq(s->db, w[i].stem, strlen(w[i].stem), &tf, err)) < 0)
            goto done;
        if (tf > 0)
            continue;
        lookups++;
        if ((rc = ns_xdb_spelling_within(s->db, w[i].folded, flen,
                                         nchars < SUGGEST_LONG_CHARS ? 1 : 2, &fix, err)) < 0) {
            if (rc != NS_ETERM)
                goto done;
            ns_err_clear(err);
            rc = 0;
            continue;
        }
        if (fix && strcmp(fix, w[i].folded) != 0) {
            if (ns_buf_append(&b, query + at, w[i].start - at) < 0 || ns_buf_puts(&b, fix) < 0) {
                free(fix);
                rc = ns_err_set(err, NS_ENOMEM, "out of memory");
                goto done;
            }
            at = w[i].end;
            changed = 1;
        }
        free(fix);
    }
    if (changed) {
        if (ns_buf_append(&b, query + at, len - at) < 0) {
            rc = ns_err_set(err, NS_ENOMEM, "out of memory");
            goto done;
        }
        *out = ns_buf_detach(&b);
    }
done:
    ns_buf_free(&b);
    return rc;
}

/* One attempt on the current database state. */
static int S_run(ns_searcher *s, const ns_query *q, const char *query, size_t len,
                 const ns_search_opts *o, ns_results *r, ns_err *err)
{
    ns_xquery *xq = NULL;
    ns_xresults *xr = NULL;
    ns_xsearch_opts xo = NS_XSEARCH_OPTS_INIT;
    int rc;

    xo.k1 = o->k1;
    xo.b = o->b;
    xo.offset = o->offset;
    xo.limit = o->limit;
    xo.sort_by_value = o->sort_by_date ? 1 : 0;
    xo.value_slot = NS_SLOT_DATE;
    xo.facet_slot = o->facets ? NS_SLOT_FACETS : -1;

    if ((rc = ns_query_build(q, 0, &xq, err)) < 0)
        goto done;
    if (!xq)
        goto done; /* only stopwords: no results, not an error */
    if ((rc = ns_xsearch(s->db, xq, &xo, &xr, err)) < 0)
        goto done;
    if (ns_xresults_total(xr) == 0 && ns_query_relaxable(q)) {
        /* No article has every word: show those with any of them. */
        ns_xresults *xr2 = NULL;
        ns_xquery_free(xq);
        xq = NULL;
        if ((rc = ns_query_build(q, 1, &xq, err)) < 0)
            goto done;
        if ((rc = ns_xsearch(s->db, xq, &xo, &xr2, err)) < 0)
            goto done;
        if (ns_xresults_total(xr2) > 0) {
            ns_xresults_free(xr);
            xr = xr2;
            r->relaxed = 1;
        } else {
            ns_xresults_free(xr2);
        }
    }
    r->total = ns_xresults_total(xr);
    if ((rc = S_hits(s, q, r, xr, o, err)) < 0)
        goto done;
    if (o->facets && (rc = S_facets(r, xr, err)) < 0)
        goto done;
    if ((r->total == 0 || r->relaxed) &&
        (rc = S_suggest(s, q, query, len, &r->suggestion, err)) < 0)
        goto done;
done:
    ns_xresults_free(xr);
    ns_xquery_free(xq);
    return rc;
}

int ns_search(ns_searcher *s, const char *query, size_t len, const ns_search_opts *opts,
              ns_results **out, ns_err *err)
{
    static const ns_search_opts defaults = NS_SEARCH_OPTS_INIT;
    const ns_search_opts *o = opts ? opts : &defaults;
    ns_query *q = NULL;
    ns_results *r = NULL;
    int rc;

    *out = NULL;
    if (!s || !query)
        return ns_err_set(err, NS_EINVAL, "ns_search: NULL argument");
    if (o->k1 < 0 || o->b < 0 || o->b > 1)
        return ns_err_set(err, NS_EINVAL, "BM25 needs k1 >= 0 and 0 <= b <= 1");
    if (!(r = calloc(1, sizeof *r)) || !(r->query = ns_strndup(query, len))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    r->offset = o->offset;
    r->limit = o->limit;
    if (S_needs_vendors(query, len, o) && (rc = S_vendors(s, err)) < 0)
        goto done;
    if ((rc = ns_query_parse(&q, s->a, s->v, query, len, o, err)) < 0)
        goto done;
    /* Answer from the latest commit; a commit landing mid-search gives
     * NS_EMODIFIED, and the search starts again on the new state. A failure
     * right after nindex swapped in a rebuilt database (the old one being
     * deleted under an open handle, or an open that caught the exchange)
     * is retried once on a fresh open. */
    for (int attempt = 0, fresh = 0, swapped_retry = 0;; attempt++) {
        rc = S_refresh(s, fresh, err);
        fresh = 0;
        if (rc == 0)
            rc = S_run(s, q, query, len, o, r, err);
        if (rc == NS_EMODIFIED && attempt < MAX_RETRIES) {
            /* retry */
        } else if ((rc == NS_ENOTFOUND || rc == NS_ECORRUPT || rc == NS_EXAPIAN) &&
                   !swapped_retry && (!s->db || S_swapped(s))) {
            swapped_retry = 1;
            fresh = 1;
        } else {
            break;
        }
        S_clear_page(r);
        ns_err_clear(err);
    }
    if (rc < 0)
        goto done;
    *out = r;
    r = NULL;
done:
    ns_query_free(q);
    ns_results_free(r);
    return rc;
}
