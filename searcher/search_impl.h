/* search_impl.h: what search.c and passes.c share (internal to the search
 * module; no other module includes it): the searcher's layout and the steps
 * of a search that the extra passes reuse. Every int function returns 0 or a
 * negative NS_E* code with err filled. */
#ifndef NS_SEARCH_IMPL_H
#define NS_SEARCH_IMPL_H

#include "search.h"

#include "analyze.h"
#include "query.h"
#include "record.h"
#include "vendors.h"
#include "xapian_shim.h"

#include <sys/types.h>

struct ns_searcher {
    ns_xdb *db;
    ns_analyzer *a;
    ns_record_codec *codec; /* decompresses the stored text of results */
    ns_glossary *gl;     /* loaded on the first search that expands */
    ns_vendors *v;       /* loaded on first use: analysing every alias costs
                          * more than a whole search, and most queries name no
                          * vendor (facet counts do not need the table) */
    int fresh_open;      /* db was opened by ns_searcher_open and not yet searched:
                          * no need to reopen it before the first search */
    ns_results *every;   /* facet counts over every article of db's current state,
                          * the disjunctive counts of a query of only one kind of
                          * filter (vendor:Nvidia), kept for the next such query;
                          * NULL until needed, dropped when db may have changed */
    int stories;         /* whether db has stories (ns_stories_present), */
    int stories_known;   /* read at state stories_state: a metadata lookup per */
    unsigned long stories_state; /* search otherwise, two block reads */
    unsigned long passes; /* Xapian passes run (ns_searcher_passes) */
    unsigned long state; /* changes whenever db may have changed (ns_searcher_state) */
    char *path;          /* the database directory */
    ns_xdb_opts xo;      /* how its shards are reached, if it has any */
    dev_t dev;           /* its identity when db was opened: nindex --rebuild */
    ino_t ino;           /* swaps in a new directory (see S_refresh) */
};

/* ---- search.c ---- */

/* One pass over the index: every pass goes through here, so that tests can
 * count them (ns_searcher_passes). */
int ns_search_xsearch(ns_searcher *s, const ns_xquery *q, const ns_xsearch_opts *o,
                      ns_xresults **out, ns_err *err);

/* Split xr's facet keys into r's vendors, months (newest first) and
 * languages. */
int ns_search_facets(ns_results *r, const ns_xresults *xr, ns_err *err);

/* Free what r's page and facets hold, leaving r itself. */
void ns_search_clear_page(ns_results *r);

/* ---- passes.c ---- */

/* Disjunctive facets: r's vendor counts without q's vendor filter, its month
 * counts without its month filter (xo0: the main pass's options;
 * relaxed_query: q was answered by its relaxed query). */
int ns_search_disjunctive(ns_searcher *s, const ns_query *q, const ns_xsearch_opts *xo0,
                          int relaxed_query, ns_results *r, ns_err *err);

/* The relaxed query when the strict one found total_all or fewer: its page,
 * counts and query replace *page, *counts and *query when it finds more. */
int ns_search_relaxed(ns_searcher *s, const ns_query *q, const ns_xsearch_opts *xo0,
                      int stories, unsigned total_all, ns_xquery **query, ns_xresults **page,
                      ns_xresults **counts, ns_err *err);

#endif
