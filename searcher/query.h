/* query.h: the nsearch query language (docs/interface.md "Query language") parsed into a
 * Xapian query tree, with everything a search needs besides: the stems to
 * highlight, the plain words a spelling suggestion may replace, and whether
 * the query can be relaxed from AND to OR.
 *
 * Syntax: words (all required), "exact phrase", -word, -"phrase", OR between
 * two clauses (uppercase only; `a b OR c d` is a AND (b OR c) AND d; a chain
 * `a OR b OR c` is one OR of its operands), prefix*,
 * filters vendor:NAME (NAME may be quoted), month:YYYY-MM,
 * month:YYYY-MM..YYYY-MM, lang:en|ru. Same-kind filters are OR'd, different
 * kinds AND'd; filters from options join the inline ones of their kind.
 * Every word goes through the indexer's analyser (src/analyze.h).
 *
 * The parsed query borrows nothing from its input: it copies what it keeps.
 * It borrows the analyzer and vendor table only during ns_query_parse. */
#ifndef NS_QUERY_H
#define NS_QUERY_H

#include "analyze.h"
#include "err.h"
#include "search.h"
#include "vendors.h"
#include "xapian_shim.h"

#include <stddef.h>

#define NS_QUERY_MAX_WILDCARD 1000 /* default expansion limit of one prefix* */
/* Terms one query may hand to Xapian: each word, each part of a compound
 * word and its joined form (GPT-3 is gpt3, gpt, 3), each phrase word, each
 * OR operand, each filter, and the expansions of the prefixes, which share
 * what the rest leaves (each at least one, at most its max_wildcard). */
#define NS_QUERY_MAX_TERMS 1000

typedef struct ns_query ns_query;

/* A plain word of the query, which a spelling suggestion may replace. */
typedef struct ns_query_word {
    size_t start, end;  /* byte range in the query text as given */
    char *stem;         /* its index term */
    char *folded;       /* the word folded (what the spelling table holds) */
} ns_query_word;

/* Parse text[0..len) with the filters of opts (may be NULL). Invalid UTF-8
 * and NUL bytes separate words like spaces. NS_ESYNTAX with a message for a
 * bad filter value or a too-short prefix; NS_ETOOBIG for more than
 * NS_QUERY_MAX_TERMS terms, found as soon as the count passes it (the
 * rest of the text is not analysed), so a refusal costs about as much as a
 * query at the cap, however long the text; NS_ENOMEM. *out: ns_query_free. */
int ns_query_parse(ns_query **out, ns_analyzer *a, const ns_vendors *v, const char *text,
                   size_t len, const ns_search_opts *opts, ns_err *err);
void ns_query_free(ns_query *q); /* NULL is a no-op */

/* Expand each prefix* of q against db, in place of the OP_WILDCARD that
 * ns_query_parse leaves: the terms of the whole database starting with it,
 * each prefix its share of the cap (ns_xdb_expand_prefix), so that a
 * sharded database weighs them as one database does. Call it on the state
 * of db the query will be run on (after each reopen); again replaces.
 * NS_EINVAL for a NULL argument, or the shim's error. */
int ns_query_expand_prefixes(ns_query *q, ns_xdb *db, ns_err *err);

/* The Xapian query: AND of the clauses (OR of them when relaxed), minus the
 * excluded ones, restricted by the filters. Every operator takes its whole
 * list of operands: no chain of nested pairs, however long the query. *out is NULL (and 0 returned)
 * when the query can match nothing at all, e.g. only stopwords. Caller frees
 * *out with ns_xquery_free. */
int ns_query_build(const ns_query *q, int relaxed, ns_xquery **out, ns_err *err);

/* OR'd into relaxed for ns_query_build(_except): the query for a pass that
 * only counts its matches (BoolWeight). It matches exactly the same
 * articles, without the parts that only weigh them (the relaxed query's
 * per-group boosts, ns_query_prefer's preferences), which such a pass would
 * still evaluate for every match. */
#define NS_QUERY_COUNT_ONLY 0x10

/* Why a query was refused, stored in *opts->refusal (search.h) beside the
 * English err->msg, so that the web page words it in its own language. A
 * refusal from the analyser (a word too long: NS_ETOOBIG or NS_ETERM;
 * invalid UTF-8: NS_EUTF8) has reason 0: tell those apart by the code. */
#define NS_QERR_TOO_MANY_TERMS 1   /* more than NS_QUERY_MAX_TERMS terms (NS_ETOOBIG) */
#define NS_QERR_PREFIX_SHORT 2     /* fewer than two letters before '*' */
#define NS_QERR_MONTH 3            /* month: not YYYY-MM or YYYY-MM..YYYY-MM */
#define NS_QERR_MONTH_RANGE 4      /* month: a range that ends before it starts */
#define NS_QERR_LANG 5             /* lang: not en or ru */
#define NS_QERR_VENDOR_EMPTY 6     /* vendor: without a name */
#define NS_QERR_NEGATED_FILTER 7   /* -vendor:, -month:, -lang: */

/* Filter kinds, for ns_query_build_except and ns_query_has_filter. */
#define NS_QUERY_VENDOR 1
#define NS_QUERY_MONTH 2
#define NS_QUERY_LANG 4

/* As ns_query_build, leaving out the filters of the kinds in omit (a set of
 * NS_QUERY_* bits): the query a disjunctive facet is counted over ("the
 * vendor counts if another vendor were chosen instead"). A query of only
 * filters that are all left out matches every article. */
int ns_query_build_except(const ns_query *q, int relaxed, int omit, ns_xquery **out, ns_err *err);

/* 1 when q has no words, no exclusions and no filters but of the kinds in
 * kinds (NS_QUERY_* bits): built without those, it matches every article. */
int ns_query_only_filters(const ns_query *q, int kinds);

/* 1 when the query has a filter of kind (one NS_QUERY_* bit), else 0. */
int ns_query_has_filter(const ns_query *q, int kind);

/* 1 when the query has two or more positive clauses, so OR may find more. */
int ns_query_relaxable(const ns_query *q);

/* The relaxed query adds this to an article's weight for each group (AND'd
 * clause) it matches: above any BM25 sum, so that articles rank by how many
 * groups they match first, and the score less a multiple of it is BM25. */
#define NS_QUERY_COORD_WEIGHT 1e6

/* Highlight stem too (words an expansion added). 0 or NS_ENOMEM. */
int ns_query_add_highlight(ns_query *q, const char *stem);

/* Add x's weight to the articles it matches, matching no more (OP_AND_MAYBE;
 * x is copied). */
int ns_query_prefer(ns_query *q, const ns_xquery *x, ns_err *err);

/* Positive groups (clauses AND'd), in query order. */
size_t ns_query_groups(const ns_query *q);

/* Group g as words: one unquoted word item, alone in its group. */
typedef struct ns_query_clause {
    size_t start, end;          /* byte range in the query text as given */
    const char *const *stems;   /* the index terms of its parts, in order
                                 * (stopwords and joined forms left out) */
    size_t nstems;
} ns_query_clause;

/* 1 and *out filled (borrowed from q until it changes) when group g is one
 * plain word item that no merge has taken; else 0 (a phrase, a prefix,
 * a OR b, a merged group, or no such group). */
int ns_query_clause_at(const ns_query *q, size_t g, ns_query_clause *out);

/* Give groups first..first+n-1 (each one plain word item) another way to
 * be met: alt (copied), what an intent or a translation of those words
 * adds. Each group becomes its word OR 1/n of alt, so an article meeting
 * alt meets every one of the n clauses and weighs alt's weight once more.
 * exclusive: alt counts only for articles without the group's word, which
 * weigh exactly what they weighed before. The groups are no longer plain
 * words (ns_query_clause_at). NS_EINVAL when a group is no plain word item. */
int ns_query_merge(ns_query *q, size_t first, size_t n, const ns_xquery *alt, int exclusive,
                   ns_err *err);

/* Terms to highlight: exact stems, and prefixes (any term starting with one).
 * Borrowed from q. */
const char *const *ns_query_stems(const ns_query *q, size_t *count);
const char *const *ns_query_prefixes(const ns_query *q, size_t *count);

/* Plain positive words, in query order. Borrowed from q. */
const ns_query_word *ns_query_words(const ns_query *q, size_t *count);

#endif
