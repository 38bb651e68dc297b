/* stories.h: one result per story. A story told in both languages is two
 * articles with one story key (src/schema.h NS_SLOT_STORY): the search
 * collapses on that key (Xapian keeps the best ranked telling), and this
 * module finds, for each hit of the page, the other tellings that match the
 * query too, and picks the one to show: the telling in the reader's
 * language when both match, else the best ranked.
 *
 * The page borrows from the ns_xresults it was made from, which must outlive
 * it; the results of the extra lookups it makes are its own. */
#ifndef NS_STORIES_H
#define NS_STORIES_H

#include "err.h"
#include "xapian_shim.h"

#include <stddef.h>

typedef struct ns_story_page {
    size_t n;                 /* places on the page, as many as xr's hits */
    const ns_xhit **shown;    /* the telling shown in each place */
    const ns_xhit ***others;  /* the other tellings of place i that match (others[i][k]) */
    size_t *nothers;
    ns_xresults **subs;       /* owned: the lookups' results, which others point into */
    size_t nsubs;
} ns_story_page;

/* Fill *out for the hits of xr, which came from running xq on db with xo and
 * xo->collapse_slot set. prefer_lang: "en", "ru" or NULL (keep the best
 * ranked). A hit whose story has one article costs one term lookup; one with
 * more costs a search of xq restricted to the story. On failure *out holds
 * nothing. */
int ns_stories_page(ns_story_page *out, ns_xdb *db, const ns_xquery *xq,
                    const ns_xsearch_opts *xo, const ns_xresults *xr, const char *prefer_lang,
                    ns_err *err);

/* The page with each hit of xr shown as it is and no others (no lookups):
 * what a search without collapsing shows. */
int ns_stories_plain(ns_story_page *out, const ns_xresults *xr, ns_err *err);

/* The exact totals of xr, which came from a search with the facet slot
 * (NS_SLOT_FACETS) counted: *articles, the matching articles, and *total,
 * what the list shows, each story once when stories is 1 (else both are
 * ns_xresults_total). */
void ns_stories_totals(const ns_xresults *xr, int stories, unsigned *total, unsigned *articles);

/* *out: 1 when db holds a story of two or more articles (nindex counts them,
 * src/schema.h NS_META_SHARED_STORIES), else 0: without one, collapsing has
 * nothing to do and is not asked for. Errors as ns_xdb_get_metadata. */
int ns_stories_present(ns_xdb *db, int *out, ns_err *err);

/* Free what the page owns and zero it; NULL is a no-op. */
void ns_story_page_clear(ns_story_page *p);

#endif
