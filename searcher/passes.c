/* passes.c: the extra passes of one search (search_impl.h), each a query
 * of its own over the index after the main pass: the disjunctive facet
 * counts (with the counts over every article kept in the searcher until
 * the database changes) and the relaxed query, counted apart from its page.
 * Split from search.c, which runs them. */
#include "search_impl.h"

#include "query.h"
#include "stories.h"
#include "str.h"
#include "xapian_shim.h"

#include <stdlib.h>
#include <string.h>

/* A copy of n counts. */
static int S_copy_counts(ns_facet_count **out, size_t *nout, const ns_facet_count *f, size_t n,
                         ns_err *err)
{
    *out = NULL;
    *nout = 0;
    if (n == 0)
        return 0;
    if (!(*out = calloc(n, sizeof **out)))
        return ns_err_set(err, NS_ENOMEM, "out of memory counting facets");
    for (size_t i = 0; i < n; i++) {
        (*out)[i].count = f[i].count;
        if (!((*out)[i].name = ns_strndup(f[i].name, strlen(f[i].name))))
            return ns_err_set(err, NS_ENOMEM, "out of memory counting facets");
        *nout = i + 1;
    }
    return 0;
}

/* s->every: the facet counts over every article, counted once per state of
 * the database (search.c's S_refresh drops them when it changes). */
static int S_every(ns_searcher *s, const ns_xsearch_opts *xo, ns_err *err)
{
    ns_xquery *all = NULL;
    ns_xresults *xr = NULL;
    ns_results *e;
    int rc;
    if (s->every)
        return 0;
    if (!(e = calloc(1, sizeof *e)))
        return ns_err_set(err, NS_ENOMEM, "out of memory counting facets");
    if ((rc = ns_xquery_match_all(&all, err)) == 0 &&
        (rc = ns_search_xsearch(s, all, xo, &xr, err)) == 0)
        rc = ns_search_facets(e, xr, err);
    ns_xresults_free(xr);
    ns_xquery_free(all);
    if (rc < 0) {
        ns_results_free(e);
        return rc;
    }
    s->every = e;
    return 0;
}

/* Exchange two facet lists (the freshly counted one and the page's). */
static void S_facets_swap(ns_facet_count **a, size_t *na, ns_facet_count **b, size_t *nb)
{
    ns_facet_count *v = *a;
    size_t n = *na;
    *a = *b;
    *na = *nb;
    *b = v;
    *nb = n;
}

/* Disjunctive facets: with a vendor filter, the vendor counts are taken
 * over the query without it (each vendor's count if it were chosen instead,
 * and what adding it as an OR would bring), and likewise the month counts
 * without a month filter; the other filters still apply. Extra passes with
 * the same counting spy, no new kind of matcher: a remote shard's stock
 * server counts them the same way. */
int ns_search_disjunctive(ns_searcher *s, const ns_query *q, const ns_xsearch_opts *xo0,
                          int relaxed_query, ns_results *r, ns_err *err)
{
    static const int kinds[2] = { NS_QUERY_VENDOR, NS_QUERY_MONTH };
    ns_xsearch_opts xo = *xo0;
    int rc = 0;

    xo.offset = 0;
    xo.limit = 0;
    xo.unweighted = 1; /* counts only: BM25 per match was half their cost */
    xo.collapse_slot = -1; /* facets count articles */
    for (int k = 0; k < 2; k++) {
        ns_xquery *xq = NULL;
        ns_xresults *xr = NULL;
        ns_results tmp;
        if (!ns_query_has_filter(q, kinds[k]))
            continue;
        memset(&tmp, 0, sizeof tmp);
        if (ns_query_only_filters(q, kinds[k])) {
            /* over every article: the same for every such query until the
             * database changes (a pass over all of them took 15 ms at 100k) */
            rc = S_every(s, &xo, err);
            if (rc == 0)
                rc = kinds[k] == NS_QUERY_VENDOR
                         ? S_copy_counts(&tmp.vendor_facets, &tmp.nvendor_facets,
                                         s->every->vendor_facets, s->every->nvendor_facets, err)
                         : S_copy_counts(&tmp.month_facets, &tmp.nmonth_facets,
                                         s->every->month_facets, s->every->nmonth_facets, err);
        } else if ((rc = ns_query_build_except(q, relaxed_query | NS_QUERY_COUNT_ONLY, kinds[k],
                                               &xq, err)) == 0 && xq &&
                   (rc = ns_search_xsearch(s, xq, &xo, &xr, err)) == 0) {
            rc = ns_search_facets(&tmp, xr, err);
        }
        ns_xresults_free(xr);
        ns_xquery_free(xq);
        if (rc == 0 && kinds[k] == NS_QUERY_VENDOR) {
            S_facets_swap(&r->vendor_facets, &r->nvendor_facets, &tmp.vendor_facets,
                          &tmp.nvendor_facets);
            r->vendor_disjunctive = 1;
        } else if (rc == 0) {
            S_facets_swap(&r->month_facets, &r->nmonth_facets, &tmp.month_facets,
                          &tmp.nmonth_facets);
            r->month_disjunctive = 1;
        }
        ns_search_clear_page(&tmp);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The relaxed (coordinated) query, in two passes: its page, where Xapian
 * may skip the articles that cannot reach it (the coordination weights put
 * those with fewer clauses far below), then its total and facet counts
 * over every match, unweighted and without the boosts (the same articles).
 * One weighted pass over every match cost as much as both together, and
 * more as the relaxed query matched more. When it finds more than the
 * strict query's total_all (stories once each when stories is 1), *page
 * becomes its page, *counts its counts and *query its page's query;
 * else all three stay as they were. */
int ns_search_relaxed(ns_searcher *s, const ns_query *q, const ns_xsearch_opts *xo0,
                      int stories, unsigned total_all, ns_xquery **query, ns_xresults **page,
                      ns_xresults **counts, ns_err *err)
{
    ns_xsearch_opts xo = *xo0;
    ns_xquery *xq = NULL;
    ns_xresults *xp = NULL, *xc = NULL;
    unsigned total, articles;
    int rc;

    xo.offset = 0;
    xo.limit = 0;
    xo.unweighted = 1;
    if ((rc = ns_query_build(q, 1 | NS_QUERY_COUNT_ONLY, &xq, err)) < 0 ||
        (rc = ns_search_xsearch(s, xq, &xo, &xc, err)) < 0)
        goto done;
    ns_stories_totals(xc, stories, &total, &articles);
    if (total <= total_all)
        goto done;
    ns_xquery_free(xq);
    xq = NULL;
    xo = *xo0;
    xo.check_at_least = xo.offset + xo.limit;
    if ((rc = ns_query_build(q, 1, &xq, err)) < 0 ||
        (rc = ns_search_xsearch(s, xq, &xo, &xp, err)) < 0)
        goto done;
    ns_xresults_free(*page);
    ns_xquery_free(*query);
    *page = xp;
    *counts = xc;
    *query = xq; /* the page's query: the stories' lookups restrict it */
    xp = xc = NULL;
    xq = NULL;
done:
    ns_xresults_free(xp);
    ns_xresults_free(xc);
    ns_xquery_free(xq);
    return rc;
}
