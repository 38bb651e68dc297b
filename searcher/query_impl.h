/* query_impl.h: what the parts of the query module share (internal to
 * searcher/query*.c and qwords.c; no other module includes it): the parsed
 * query's layout and the helpers that count its terms and keep its lists.
 *
 * query.c parses the language and owns the struct; qwords.c turns words,
 * phrases and prefixes into queries through the analyser; qfilter.c makes
 * the filters; qbuild.c builds the Xapian query and changes a parsed one
 * (intents, glossary). Every function returns 0 or a negative NS_E* code
 * with err filled. */
#ifndef NS_QUERY_IMPL_H
#define NS_QUERY_IMPL_H

#include "query.h"

/* Highlighting and spelling need only the first few words; a hostile query of
 * thousands of distinct words must not make their de-duplication quadratic. */
#define MAX_STEMS 256
#define MAX_WORDS 64
/* Parts of one word kept for the intents and the glossary. */
#define MAX_CLAUSE_STEMS 8

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

/* ---- helpers (query.c) ---- */

/* Append x to l (taking it on success). 0 or NS_ENOMEM (x not taken). */
int ns_qlist_push(qlist *l, ns_xquery *x);
/* Free every query of l and its array; l is left empty. */
void ns_qlist_free(qlist *l);
/* Remember a term in a list of strings (highlighting): de-duplicated,
 * capped at MAX_STEMS, empty ones ignored. 0 or NS_ENOMEM. */
int ns_query_add_str(char ***list, size_t *n, const char *s, size_t len);
/* Free a clause's stems and zero it. */
void ns_query_clause_clear(clause *c);
/* NS_ENOMEM, and NS_ETOOBIG (more than NS_QUERY_MAX_TERMS), with the
 * parser's messages. */
int ns_query_oom(ns_err *err);
int ns_query_too_many(const ns_query *q, ns_err *err);
/* rc, the code of a refusal ns_err_set has described, with its reason
 * (query.h NS_QERR_*) stored where the caller of ns_query_parse asked. */
int ns_query_why(const ns_query *q, int reason, int rc);
/* Count n more terms against the cap. Every term is counted before its
 * Xapian query is built, so a query over the cap costs no more than the cap. */
int ns_query_count(ns_query *q, size_t n, ns_err *err);

/* ---- words, phrases and prefixes through the analyser (qwords.c) ---- */

/* Query for an unquoted word item text[0..len) (at qstart in the query):
 * AND of its tokens ("openai.com" gives two). Its stems are highlighted, a
 * plain word is kept for spelling, and c (may be NULL) receives the stems
 * of its parts. *out NULL for stopwords only. */
int ns_qwords_word(ns_query *q, ns_analyzer *a, const char *text, size_t len, size_t qstart,
                   clause *c, ns_xquery **out, ns_err *err);
/* Query for a "phrase": its non-stop part terms in order, within the window
 * its positions span, so stopwords still count ("state of the art"). */
int ns_qwords_phrase(ns_query *q, ns_analyzer *a, const char *text, size_t len,
                     ns_xquery **out, ns_err *err);
/* prefix*: the folded prefix to expand (*prefix, malloc'd), or, for a prefix
 * no term can start with, a query matching nothing (*out). Counts one term;
 * NS_ESYNTAX for a prefix of fewer than two characters. */
int ns_qwords_prefix(ns_query *q, ns_analyzer *a, const char *text, size_t len, char **prefix,
                     size_t *plen, ns_xquery **out, ns_err *err);

#endif
