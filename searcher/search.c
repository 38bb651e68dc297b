/* search.c: one search from query text to a page of results (search.h):
 * opening and reopening the database, the main pass, the hits and facets,
 * the suggestion and the layout; the extra passes (disjunctive facets, the
 * relaxed query) are passes.c. */
#include "search.h"
#include "search_impl.h"
#include "str.h"

#include "analyze.h"
#include "buf.h"
#include "layout.h"
#include "query.h"
#include "schema.h"
#include "snippet.h"
#include "stories.h"
#include "suggest.h"
#include "utf8.h"
#include "vendors.h"
#include "xapian_shim.h"

#include <math.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* A concurrent nindex commit can invalidate a reader more than once in a
 * row; beyond this many retries something else is wrong. */
#define MAX_RETRIES 5

/* A query with at most this many results (or only partial matches) is
 * also tried on the other keyboard layout. */
#define LAYOUT_FEW 2

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
    if ((rc = ns_xdb_open_opts(&s->db, s->path, &s->xo, err)) < 0) {
        /* Xapian says "not found" also for a directory it cannot recognise,
         * e.g. a database whose files were lost: "no database" would send
         * the user to build one over it without saying it is damaged. */
        if (rc == NS_ESHARD)
            ; /* says which shard */
        else if (rc == NS_ENOTFOUND && !exists)
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
    if (s->db && !fresh && !S_swapped(s)) {
        int changed = 1;
        int rc = ns_xdb_reopen(s->db, &changed, err);
        if (rc < 0 || changed) {
            ns_results_free(s->every);
            s->every = NULL;
            s->state++;
        }
        return rc;
    }
    ns_results_free(s->every);
    s->every = NULL;
    s->state++;
    ns_xdb_free(s->db);
    s->db = NULL;
    return S_open_db(s, err);
}

int ns_searcher_open(ns_searcher **out, const char *dbpath, ns_err *err)
{
    return ns_searcher_open_opts(out, dbpath, NULL, err);
}

int ns_shard_opts_parse(ns_xdb_opts *xo, const char *timeout_ms, const char *allow_partial,
                        ns_err *err)
{
    if (timeout_ms && *timeout_ms) {
        char *end = NULL;
        errno = 0;
        unsigned long v = strtoul(timeout_ms, &end, 10);
        if (*timeout_ms < '0' || *timeout_ms > '9' || errno || *end || v > NS_SHARD_TIMEOUT_MAX)
            return ns_err_set(err, NS_EINVAL,
                              "shard timeout '%.40s' is not a number of milliseconds from 0 to %u",
                              timeout_ms, NS_SHARD_TIMEOUT_MAX);
        xo->timeout_ms = (unsigned)v;
    }
    if (allow_partial && *allow_partial) {
        if (strcmp(allow_partial, "0") != 0 && strcmp(allow_partial, "1") != 0)
            return ns_err_set(err, NS_EINVAL, "allow-partial '%.40s' is not 0 or 1",
                              allow_partial);
        xo->allow_partial = allow_partial[0] == '1';
    }
    return 0;
}

const ns_xdb_opts *ns_searcher_xdb_opts(const ns_searcher *s)
{
    return s ? &s->xo : NULL;
}

int ns_searcher_open_opts(ns_searcher **out, const char *dbpath, const ns_xdb_opts *xo,
                          ns_err *err)
{
    static const ns_xdb_opts xdefaults = NS_XDB_OPTS_INIT;
    ns_searcher *s = calloc(1, sizeof *s);
    int rc;

    *out = NULL;
    if (!s || !(s->path = ns_strndup(dbpath, strlen(dbpath)))) {
        free(s);
        return ns_err_set(err, NS_ENOMEM, "out of memory opening the searcher");
    }
    s->xo = xo ? *xo : xdefaults;
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
    ns_results_free(s->every);
    ns_vendors_free(s->v);
    ns_glossary_free(s->gl);
    ns_analyzer_free(s->a);
    ns_record_codec_free(s->codec);
    free(s->path);
    free(s);
}

unsigned long ns_searcher_passes(const ns_searcher *s)
{
    return s ? s->passes : 0;
}

/* Every pass over the index goes through here, so that tests can count
 * them (ns_searcher_passes): each one visits every match of its query. */
int ns_search_xsearch(ns_searcher *s, const ns_xquery *q, const ns_xsearch_opts *o,
                      ns_xresults **out, ns_err *err)
{
    s->passes++;
    return ns_xsearch(s->db, q, o, out, err);
}

/* Load the vendor table if it is not loaded yet. */
static int S_vendors(ns_searcher *s, ns_err *err)
{
    if (s->v)
        return 0;
    return ns_vendors_new(&s->v, s->a, err);
}

int ns_searcher_state(ns_searcher *s, unsigned long *out, ns_err *err)
{
    int rc = S_refresh(s, 0, err);
    *out = s->state;
    return rc;
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

/* Free one facet list and leave it empty. */
static void S_facets_clear(ns_facet_count **v, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*v)[i].name);
    free(*v);
    *v = NULL;
    *n = 0;
}

void ns_search_clear_page(ns_results *r)
{
    for (size_t i = 0; i < r->nhits; i++) {
        ns_record_clear(&r->hits[i].rec);
        free(r->hits[i].snippet);
        free(r->hits[i].marks);
        free(r->hits[i].title_text);
        free(r->hits[i].title_marks);
        for (size_t k = 0; k < r->hits[i].nalso; k++)
            ns_record_clear(&r->hits[i].also[k]);
        free(r->hits[i].also);
    }
    free(r->hits);
    r->hits = NULL;
    r->nhits = 0;
    S_facets_clear(&r->vendor_facets, &r->nvendor_facets);
    S_facets_clear(&r->month_facets, &r->nmonth_facets);
    S_facets_clear(&r->lang_facets, &r->nlang_facets);
    free(r->suggestion);
    r->suggestion = NULL;
    r->total = 0;
    r->total_all = 0;
    r->total_articles = 0;
    r->relaxed = 0;
    r->vendor_disjunctive = r->month_disjunctive = 0;
    r->layout = r->showing_suggestion = 0;
}

void ns_results_free(ns_results *r)
{
    if (!r)
        return;
    ns_search_clear_page(r);
    ns_intents_clear(&r->intents);
    ns_expansions_free(r->expansions, r->nexpansions);
    free(r->missing_shards);
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
int ns_search_facets(ns_results *r, const ns_xresults *xr, ns_err *err)
{
    size_t n = ns_xresults_facet_count(xr);
    if (n == 0)
        return 0;
    r->vendor_facets = calloc(n, sizeof *r->vendor_facets);
    r->month_facets = calloc(n, sizeof *r->month_facets);
    r->lang_facets = calloc(n, sizeof *r->lang_facets);
    if (!r->vendor_facets || !r->month_facets || !r->lang_facets)
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
        else if (f->key[0] == NS_FACET_LANG)
            c = &r->lang_facets[r->nlang_facets++];
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


/* h->also: the records of the story's other tellings on place i of p. */
static int S_also(ns_searcher *s, ns_hit *h, const ns_story_page *p, size_t i, ns_err *err)
{
    if (p->nothers[i] == 0)
        return 0;
    if (!(h->also = calloc(p->nothers[i], sizeof *h->also)))
        return ns_err_set(err, NS_ENOMEM, "out of memory reading results");
    for (size_t k = 0; k < p->nothers[i]; k++) {
        const ns_xhit *x = p->others[i][k];
        h->nalso = k + 1;
        int rc = ns_record_decode(&h->also[k], s->codec, x->data, x->data_len, err);
        if (rc < 0)
            return rc;
        if (!h->also[k].id || !h->also[k].title || !h->also[k].date)
            return ns_err_set(err, NS_ECORRUPT, "document %u has no stored article data",
                              x->docid);
        free(h->also[k].text);
        h->also[k].text = NULL;
        h->also[k].text_len = 0;
    }
    return 0;
}

/* The hits of page p; coord: they came from the relaxed query, whose scores
 * hold NS_QUERY_COORD_WEIGHT per group matched (taken off here, and a hit
 * with fewer than ngroups marked partial). */
static int S_hits(ns_searcher *s, const ns_query *q, ns_results *r, const ns_story_page *p,
                  const ns_search_opts *o, int coord, ns_err *err)
{
    size_t ngroups = ns_query_groups(q);
    size_t n = p->n, nstems, nprefixes;
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
            docids[i] = p->shown[i]->docid;
        if ((rc = ns_xdb_docs_have_terms(s->db, stems, nstems, docids, n, present, err)) < 0)
            goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const ns_xhit *x = p->shown[i];
        ns_hit *h = &r->hits[i];
        r->nhits = i + 1;
        h->rank = o->offset + (unsigned)i + 1;
        h->score = x->score;
        if (coord) {
            double matched = floor(h->score / NS_QUERY_COORD_WEIGHT);
            h->score -= matched * NS_QUERY_COORD_WEIGHT;
            h->partial = matched < (double)ngroups;
        }
        if ((rc = ns_record_decode(&h->rec, s->codec, x->data, x->data_len, err)) < 0 ||
            (rc = S_also(s, h, p, i, err)) < 0)
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
        ns_snippet_query sq = { .stems = stems, .nstems = nstems,
                                .present = present ? present + i * nstems : NULL,
                                .prefixes = prefixes, .nprefixes = nprefixes,
                                .chars = o->snippet_chars };
        rc = ns_snippet_find(s->a, h->rec.text ? h->rec.text : "", h->rec.text ? h->rec.text_len : 0,
                             &sq, &h->snippet, &h->marks, &h->nmarks, err);
        if (rc < 0)
            goto done;
        /* the title's matched words, marked by the same rule as the snippet's;
         * long enough a window that the whole title is kept */
        size_t tlen = strlen(h->rec.title);
        sq.present = NULL;
        sq.chars = 2 * ns_utf8_chars(h->rec.title, tlen) + 64;
        rc = ns_snippet_find(s->a, h->rec.title, tlen, &sq, &h->title_text, &h->title_marks,
                             &h->ntitle_marks, err);
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

static int S_run(ns_searcher *s, const ns_query *q, const char *query, size_t len,
                 const ns_search_opts *o, ns_results *r, int alternatives, ns_err *err);

/* How many articles have every word of text[0..len) with o's filters (0
 * also for a query that cannot match); a bad query is no error here: 0. */
static int S_count(ns_searcher *s, const char *text, size_t len, const ns_search_opts *o,
                   unsigned *total, ns_err *err)
{
    ns_query *q = NULL;
    ns_xquery *xq = NULL;
    ns_xresults *xr = NULL;
    ns_xsearch_opts xo = NS_XSEARCH_OPTS_INIT;
    int rc;

    *total = 0;
    xo.limit = 0;
    xo.unweighted = 1;
    if (S_needs_vendors(text, len, o) && (rc = S_vendors(s, err)) < 0)
        return rc;
    if ((rc = ns_query_parse(&q, s->a, s->v, text, len, o, err)) < 0) {
        if (rc != NS_ENOMEM) {
            ns_err_clear(err);
            rc = 0;
        }
        return rc;
    }
    if ((rc = ns_query_expand_prefixes(q, s->db, err)) == 0 &&
        (rc = ns_query_build(q, 0, &xq, err)) == 0 && xq &&
        (rc = ns_search_xsearch(s, xq, &xo, &xr, err)) == 0)
        *total = ns_xresults_total(xr);
    ns_xresults_free(xr);
    ns_xquery_free(xq);
    ns_query_free(q);
    return rc;
}

static int S_prepare(ns_searcher *s, const char *query, size_t len, const ns_search_opts *o,
                     ns_results *r, ns_query **out, ns_err *err);

/* Few or no results: the query read on the other keyboard layout, else
 * with its unknown words corrected, offered when it finds more articles
 * with every word; when the query found nothing at all, its results are
 * shown instead. */
static int S_alternative(ns_searcher *s, const ns_query *q, const char *query, size_t len,
                         const ns_search_opts *o, ns_results *r, ns_err *err)
{
    /* articles against articles: S_count counts them, whatever r lists */
    unsigned strict = r->relaxed ? 0 : r->total_articles, n = 0;
    char *alt = NULL;
    int layout = 0, rc;

    if ((rc = ns_layout_convert(query, len, &alt, err)) < 0)
        return rc;
    if (alt && (rc = S_count(s, alt, strlen(alt), o, &n, err)) < 0)
        goto done;
    if (alt && n > 2 * strict) {
        layout = 1;
    } else {
        free(alt);
        alt = NULL;
        if (r->total > 0 && !r->relaxed)
            return 0; /* every word is known: nothing to correct */
        if ((rc = ns_suggest_spelling(s->db, q, query, len, &alt, err)) < 0)
            goto done;
        if (alt && (rc = S_count(s, alt, strlen(alt), o, &n, err)) < 0)
            goto done;
        if (!alt || n <= strict)
            goto done;
    }
    if (r->total == 0 && !o->as_typed) {
        /* the suggestion's results are what searching it gives: its
         * intents and expansions replace the query's */
        ns_query *q2 = NULL;
        if ((rc = S_prepare(s, alt, strlen(alt), o, r, &q2, err)) < 0)
            goto done;
        ns_search_clear_page(r);
        rc = S_run(s, q2, alt, strlen(alt), o, r, 0, err);
        ns_query_free(q2);
        if (rc < 0)
            goto done;
        r->showing_suggestion = 1;
    }
    free(r->suggestion);
    r->suggestion = alt;
    r->layout = layout;
    alt = NULL;
done:
    free(alt);
    return rc;
}

/* Whether the database has stories, read once per state of it (the
 * metadata only changes with a commit, which changes the state). */
static int S_stories(ns_searcher *s, int *out, ns_err *err)
{
    int rc = 0;
    if (!s->stories_known || s->stories_state != s->state) {
        if ((rc = ns_stories_present(s->db, &s->stories, err)) < 0)
            return rc;
        s->stories_known = 1;
        s->stories_state = s->state;
    }
    *out = s->stories;
    return rc;
}

/* One attempt on the current database state; alternatives: look for a
 * suggestion when the query finds few articles. */
static int S_run(ns_searcher *s, const ns_query *q, const char *query, size_t len,
                 const ns_search_opts *o, ns_results *r, int alternatives, ns_err *err)
{
    ns_xquery *xq = NULL;
    ns_xresults *xr = NULL, *xc = NULL; /* the page; the counts when apart from it */
    ns_xsearch_opts xo = NS_XSEARCH_OPTS_INIT;
    ns_story_page page;
    int rc, coord = 0, stories = 0;
    unsigned articles = 0;

    memset(&page, 0, sizeof page);
    if (o->stories && (rc = S_stories(s, &stories, err)) < 0)
        return rc;
    xo.k1 = o->k1;
    xo.b = o->b;
    xo.offset = o->offset;
    xo.limit = o->limit;
    xo.sort_by_value = o->sort_by_date ? 1 : 0;
    xo.value_slot = NS_SLOT_SORT; /* date, then id: the same ties in shards */
    /* with stories, the counts are what the totals are made of */
    xo.facet_slot = o->facets || stories ? NS_SLOT_FACETS : -1;
    xo.collapse_slot = stories ? NS_SLOT_STORY : -1;
    /* words weigh articles apart; filters alone weigh them all alike */
    xo.few_ties = ns_query_groups(q) > 0;

    if ((rc = ns_query_build(q, 0, &xq, err)) < 0)
        goto done;
    if (!xq)
        goto done; /* only stopwords: no results, not an error */
    if ((rc = ns_search_xsearch(s, xq, &xo, &xr, err)) < 0)
        goto done;
    ns_stories_totals(xr, stories, &r->total_all, &articles);
    /* Too few articles have every word to fill the page: follow them with
     * those that have most of the words. The relaxed query ranks by how
     * many clauses an article matches, so those with all of them come
     * first, in the same order as above, and its page is the whole list's.
     * Sorted by date, that order would mix them, so there it only answers
     * when no article has every word. */
    if (ns_query_relaxable(q) &&
        (o->sort_by_date ? r->total_all == 0
                         : (unsigned long)r->total_all < (unsigned long)o->offset + o->limit)) {
        if ((rc = ns_search_relaxed(s, q, &xo, stories, r->total_all, &xq, &xr, &xc, err)) < 0)
            goto done;
        coord = xc != NULL;
        r->relaxed = coord && r->total_all == 0;
    }
    ns_stories_totals(xc ? xc : xr, stories, &r->total, &r->total_articles);
    const char *slang = o->story_lang ? o->story_lang
                        : ns_detect_lang(query, len) == 'r' ? "ru" : "en";
    rc = stories ? ns_stories_page(&page, s->db, xq, &xo, xr, slang, err)
                    : ns_stories_plain(&page, xr, err);
    if (rc < 0 || (rc = S_hits(s, q, r, &page, o, coord, err)) < 0)
        goto done;
    if (o->facets && ((rc = ns_search_facets(r, xc ? xc : xr, err)) < 0 ||
                      (rc = ns_search_disjunctive(s, q, &xo, coord, r, err)) < 0))
        goto done;
    if (alternatives && (r->total <= LAYOUT_FEW || r->relaxed) &&
        (rc = S_alternative(s, q, query, len, o, r, err)) < 0)
        goto done;
done:
    ns_story_page_clear(&page);
    ns_xresults_free(xr);
    ns_xresults_free(xc);
    ns_xquery_free(xq);
    return rc;
}

/* The query's words were expanded into the other language: prefer the
 * articles in the language of the words expanded (the language the query is
 * written in; names, alike in both, tell nothing), so that the other
 * language's articles follow those matching as well in the query's own. */
static int S_prefer_lang(ns_query *q, const ns_results *r, const ns_search_opts *o, ns_err *err)
{
    size_t en = 0, ru = 0;
    ns_xquery *t = NULL, *b = NULL;
    double w = o->lang_weight;
    for (size_t i = 0; i < r->nexpansions; i++)
        r->expansions[i].lang == 'r' ? ru++ : en++;
    if (en == ru || w <= 0)
        return 0;
    const char *term = ru > en ? NS_PREFIX_LANG "ru" : NS_PREFIX_LANG "en";
    int rc = ns_xquery_term(&t, term, strlen(term), err);
    if (rc == 0)
        rc = ns_xquery_boost(&b, t, w, err);
    if (rc == 0)
        rc = ns_query_prefer(q, b, err);
    ns_xquery_free(t);
    ns_xquery_free(b);
    return rc;
}

/* Parse query[0..len) into *out, with the intents read from its words and
 * its words' other-language forms added (their lists replace r's). */
static int S_prepare(ns_searcher *s, const char *query, size_t len, const ns_search_opts *o,
                     ns_results *r, ns_query **out, ns_err *err)
{
    ns_query *q = NULL;
    int rc;

    *out = NULL;
    ns_intents_clear(&r->intents);
    ns_expansions_free(r->expansions, r->nexpansions);
    r->expansions = NULL;
    r->nexpansions = 0;
    if ((S_needs_vendors(query, len, o) || o->intent_weight > 0) && (rc = S_vendors(s, err)) < 0)
        return rc;
    if ((rc = ns_query_parse(&q, s->a, s->v, query, len, o, err)) < 0)
        return rc;
    if (o->intent_weight > 0 &&
        (rc = ns_intents_apply(q, s->a, s->v, query, len, o->intent_weight, &r->intents, err)) < 0)
        goto fail;
    if (o->cross && !s->gl && (rc = ns_glossary_new(&s->gl, err)) < 0)
        goto fail;
    if (o->cross && (rc = ns_glossary_expand(s->gl, q, query, o->cross_scale, &r->expansions,
                                             &r->nexpansions, err)) < 0)
        goto fail;
    if (r->nexpansions > 0 && (rc = S_prefer_lang(q, r, o, err)) < 0)
        goto fail;
    *out = q;
    return 0;
fail:
    ns_query_free(q);
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
    if (!(o->intent_weight >= 0) || !(o->cross_scale >= 0) || !(o->lang_weight >= 0))
        return ns_err_set(err, NS_EINVAL,
                          "the intent weight, the cross scale and the language weight must be >= 0");
    if (!(r = calloc(1, sizeof *r)) || !(r->query = ns_strndup(query, len))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    r->offset = o->offset;
    r->limit = o->limit;
    if ((rc = S_prepare(s, query, len, o, r, &q, err)) < 0)
        goto done;
    /* Answer from the latest commit; a commit landing mid-search gives
     * NS_EMODIFIED, and the search starts again on the new state. A failure
     * right after nindex swapped in a rebuilt database (the old one being
     * deleted under an open handle, or an open that caught the exchange)
     * is retried once on a fresh open. */
    for (int attempt = 0, fresh = 0, swapped_retry = 0;; attempt++) {
        rc = S_refresh(s, fresh, err);
        fresh = 0;
        /* prefixes expand against this state of the database */
        if (rc == 0)
            rc = ns_query_expand_prefixes(q, s->db, err);
        if (rc == 0)
            rc = S_run(s, q, query, len, o, r, 1, err);
        if (rc == NS_EMODIFIED && attempt < MAX_RETRIES) {
            /* retry */
        } else if ((rc == NS_ENOTFOUND || rc == NS_ECORRUPT || rc == NS_EXAPIAN) &&
                   !swapped_retry && (!s->db || S_swapped(s))) {
            swapped_retry = 1;
            fresh = 1;
        } else {
            break;
        }
        ns_search_clear_page(r);
        ns_err_clear(err);
    }
    if (rc < 0)
        goto done;
    const char *missing = ns_xdb_missing(s->db);
    if (*missing && !(r->missing_shards = ns_strndup(missing, strlen(missing)))) {
        rc = ns_err_set(err, NS_ENOMEM, "out of memory");
        goto done;
    }
    *out = r;
    r = NULL;
done:
    ns_query_free(q);
    ns_results_free(r);
    return rc;
}
