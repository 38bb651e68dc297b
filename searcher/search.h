/* search.h: one search, from a query string to a page of results with
 * snippets and exact facet counts. Shared by nsearch (CLI, --json, --batch)
 * and nsearch.cgi, so both answer identically.
 *
 * A searcher owns a read-only database, an analyzer and the vendor table; it
 * is not thread-safe (one per thread). Each ns_search sees the latest commit:
 * it reopens the database first, and reopens and retries when a concurrent
 * nindex commit invalidates what it was reading (NS_EMODIFIED). */
#ifndef NS_SEARCH_H
#define NS_SEARCH_H

#include "err.h"
#include "expand.h"
#include "intent.h"
#include "record.h"
#include "xapian_shim.h"

#include <stddef.h>

typedef struct ns_searcher ns_searcher;

typedef struct ns_search_opts {
    const char *const *vendors; /* filters from options (--vendor, web `vendor`), OR'd */
    size_t nvendors;
    const char *month;          /* "YYYY-MM" or "YYYY-MM..YYYY-MM", or NULL */
    const char *lang;           /* "en", "ru" or NULL */
    unsigned offset;            /* first result, from 0 */
    unsigned limit;             /* results on the page */
    int sort_by_date;           /* 0: relevance (ties newest first); 1: newest first */
    int facets;                 /* count vendors and months over all matches */
    double k1, b;               /* BM25 */
    unsigned max_wildcard;      /* terms one prefix* may expand to (0: default 1000) */
    size_t snippet_chars;       /* about this many characters of snippet (0: 200) */
    int as_typed;               /* a query that finds nothing gets a suggestion, but not
                                 * the suggestion's results in place of its own */
    double intent_weight;       /* what an article of a month, year or vendor named in
                                 * the words weighs for those words (intent.h); 0: off */
    int cross;                  /* expand words with the other language's (expand.h) */
    double cross_scale;         /* what such a match weighs, times its own weight */
    double lang_weight;         /* when words were expanded, what an article in their
                                 * language weighs more (search.c S_prefer_lang) */
    int stories;                /* 1: one result per story (stories.h): an article and its
                                 * translation are one result; 0: every article */
    const char *story_lang;     /* with stories: "en" or "ru", the telling to show when
                                 * both match; NULL: the query's language (Russian when
                                 * most of its letters are Cyrillic, as nindex decides an
                                 * article's: ns_detect_lang) */
    int *refusal;               /* non-NULL: a refused query (NS_ESYNTAX, NS_ETOOBIG) stores
                                 * its reason here (query.h NS_QERR_*; 0 for none), for
                                 * wording it in the reader's language. Written by the
                                 * search: one per search, not shared across threads */
} ns_search_opts;

#define NS_SEARCH_INTENT_WEIGHT 5.0
#define NS_SEARCH_CROSS_SCALE 0.3
#define NS_SEARCH_LANG_WEIGHT 1.0
#define NS_SEARCH_OPTS_INIT                                                            \
    { .vendors = NULL, .nvendors = 0, .month = NULL, .lang = NULL, .offset = 0,        \
      .limit = 10, .sort_by_date = 0, .facets = 0, .k1 = 1.2, .b = 0.75,               \
      .max_wildcard = 0, .snippet_chars = 0, .as_typed = 0,                            \
      .intent_weight = NS_SEARCH_INTENT_WEIGHT, .cross = 1,                            \
      .cross_scale = NS_SEARCH_CROSS_SCALE, .lang_weight = NS_SEARCH_LANG_WEIGHT,     \
      .stories = 0, .story_lang = NULL, .refusal = NULL }

typedef struct ns_span {
    size_t start, end;          /* byte range of a matched word in the snippet */
} ns_span;

typedef struct ns_hit {
    unsigned rank;              /* 1-based over the whole result list */
    double score;
    ns_record rec;              /* id, title, date, lang, vendors, url, path; rec.text is NULL */
    char month[8];              /* "YYYY-MM" */
    char *snippet;              /* plain UTF-8 text, about snippet_chars characters */
    ns_span *marks;             /* matched words inside snippet, in order, not overlapping */
    size_t nmarks;
    int partial;                /* lacks some of the query's words: it fills the page
                                 * after the articles that have them all */
    char *title_text;           /* the title as marked (white space runs as one space), or
                                 * NULL: show rec.title unmarked */
    ns_span *title_marks;       /* matched words inside title_text, as marks */
    size_t ntitle_marks;
    ns_record *also;            /* with opts->stories: the story's other tellings that
                                 * match too, best ranked first (rec.text NULL) */
    size_t nalso;
} ns_hit;

typedef struct ns_facet_count {
    char *name;                 /* vendor canonical name, or "YYYY-MM" */
    unsigned count;
} ns_facet_count;

typedef struct ns_results {
    char *query;                /* the query as given */
    unsigned total;             /* exact number of articles in the list: those with
                                 * every word, then, when they do not fill the page,
                                 * those with some (hits marked partial) */
    unsigned total_all;         /* how many of them have every word */
    unsigned total_articles;    /* the articles behind total: with opts->stories, total
                                 * counts stories (an article and its translation once)
                                 * and this counts both; else equal to total */
    unsigned offset, limit;
    int relaxed;                /* no article had every word; these have some of them */
    ns_hit *hits;
    size_t nhits;
    ns_facet_count *vendor_facets;  /* by count, descending, then name */
    size_t nvendor_facets;
    ns_facet_count *month_facets;   /* by month, newest first */
    size_t nmonth_facets;
    ns_facet_count *lang_facets;    /* "en", "ru" by count, descending; none from a
                                     * database indexed before issue 17 */
    size_t nlang_facets;
    int vendor_disjunctive;     /* vendor counts are over the query without its vendor
                                 * filters (what each vendor would give if chosen
                                 * instead or besides), as month counts with month_ */
    int month_disjunctive;      /* disjunctive likewise; 0: over the matches themselves */
    char *suggestion;           /* a corrected query, checked to find more, or NULL */
    int layout;                 /* the suggestion is the query read on the other keyboard
                                 * layout (ЙЦУКЕН / QWERTY) */
    int showing_suggestion;     /* the query found nothing: total, hits and facets are
                                 * the suggestion's */
    ns_intents intents;         /* the month, year and vendor read from the words */
    ns_expansion *expansions;   /* the other language's words added, in query order */
    size_t nexpansions;
    char *missing_shards;       /* a sharded database searched with allow_partial: the
                                 * shards that did not answer and are not counted
                                 * (", "-separated), or NULL when every shard answered */
} ns_results;

/* Open the database at path. NS_ENOTFOUND (missing), NS_ECORRUPT, ... */
int ns_searcher_open(ns_searcher **out, const char *dbpath, ns_err *err);
void ns_searcher_close(ns_searcher *s); /* NULL is a no-op */
/* The same, with how the shards of a sharded database are reached
 * (xapian_shim.h; NULL: NS_XDB_OPTS_INIT): a remote shard that does not
 * answer gives NS_ESHARD from here and from ns_search, or with
 * xo->allow_partial results without it and their missing_shards. */
int ns_searcher_open_opts(ns_searcher **out, const char *dbpath, const ns_xdb_opts *xo,
                          ns_err *err);
/* Read the settings of remote shards into *xo, as the programs take them
 * from the environment (NSEARCH_SHARD_TIMEOUT, NSEARCH_ALLOW_PARTIAL) or
 * options: timeout_ms, milliseconds from 0 (none) to NS_SHARD_TIMEOUT_MAX;
 * allow_partial, "0" or "1". NULL or "" leaves that setting as it is.
 * NS_EINVAL names the bad value. */
#define NS_SHARD_TIMEOUT_MAX 3600000u
int ns_shard_opts_parse(ns_xdb_opts *xo, const char *timeout_ms, const char *allow_partial,
                        ns_err *err);
/* The options s was opened with (so that another thread's searcher is
 * opened alike). Borrowed from s. */
const ns_xdb_opts *ns_searcher_xdb_opts(const ns_searcher *s);

/* Run query[0..len) with opts (NULL: defaults). NS_ESYNTAX for a bad query
 * (err->msg says what is wrong: "month '2020-13' is not YYYY-MM"). A query of
 * only stopwords or punctuation is not an error: zero results. *out belongs to
 * the caller: ns_results_free. */
int ns_search(ns_searcher *s, const char *query, size_t len, const ns_search_opts *opts,
              ns_results **out, ns_err *err);
void ns_results_free(ns_results *r);

/* How many passes over the index (Xapian queries, each visiting every
 * match of its query unless it only wants a page) s has run since it was
 * opened: the page and counts, a relaxed query's page and counts, the
 * disjunctive facets, the checks of suggestions. For tests that keep the
 * number of passes a kind of query costs from growing unnoticed. */
unsigned long ns_searcher_passes(const ns_searcher *s);
/* Bring s to the database's latest commit (as a search does) and set *out
 * to a number that stays the same as long as the database does not change,
 * so that a caller may keep what it computed from it (the web page's recent
 * articles) until then. NS_EMODIFIED and the open errors as ns_search. */
int ns_searcher_state(ns_searcher *s, unsigned long *out, ns_err *err);

/* Canonical vendor name for what a user typed ("сбер" -> "Sberbank"), or NULL
 * if unknown. Borrowed from the searcher's table. */
const char *ns_searcher_vendor(ns_searcher *s, const char *name, size_t len);

#endif
