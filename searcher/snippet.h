/* snippet.h: the ~200-character passage of an article that best matches a
 * query, with the matched words marked.
 *
 * The text is analysed with the indexer's analyser, and a word matches when
 * one of its terms equals a query stem or starts with a query prefix, so any
 * inflection is marked ("переводы" marks "перевода"). The window with the
 * most distinct stems (then most matches) wins; it starts and ends on whole
 * words and never cuts a UTF-8 sequence; "…" marks a cut end. Whitespace runs
 * become single spaces. Only the first NS_SNIPPET_SCAN bytes are analysed. */
#ifndef NS_SNIPPET_H
#define NS_SNIPPET_H

#include "analyze.h"
#include "err.h"
#include "search.h"

#include <stddef.h>

#define NS_SNIPPET_SCAN (64 * 1024)

/* What a snippet looks for, and how long it is. */
typedef struct ns_snippet_query {
    const char *const *stems;       /* terms to mark, exactly (borrowed) */
    size_t nstems;
    const unsigned char *present;   /* NULL, or present[i] for stems[i] (see below) */
    const char *const *prefixes;    /* a word whose term starts with one is marked too */
    size_t nprefixes;
    size_t chars;                   /* about this many characters long; 0: 200 */
} ns_snippet_query;

#define NS_SNIPPET_QUERY_INIT                                                                    \
    { .stems = NULL, .nstems = 0, .present = NULL, .prefixes = NULL, .nprefixes = 0, .chars = 0 }

/* Make the snippet of text[0..len) for q.
 * q->present, when not NULL, says which stems the article has at all
 * (present[i] for stems[i], from its index terms): the text is analysed
 * only until every present stem has been seen (or, with none present, a
 * prefix match), instead of to the end in search of a word that is not
 * there. NULL: any stem may be there.
 * *out (malloc'd, NUL-terminated) and *marks (malloc'd, may be NULL when
 * *nmarks is 0) belong to the caller. Invalid UTF-8 in text is replaced by
 * U+FFFD. 0 or NS_ENOMEM. */
int ns_snippet_find(ns_analyzer *a, const char *text, size_t len, const ns_snippet_query *q,
                    char **out, ns_span **marks, size_t *nmarks, ns_err *err);

/* ns_snippet_find with the fields of its query as arguments. */
int ns_snippet_make(ns_analyzer *a, const char *text, size_t len, const char *const *stems,
                    size_t nstems, const unsigned char *present, const char *const *prefixes,
                    size_t nprefixes, size_t chars,
                    char **out, ns_span **marks, size_t *nmarks, ns_err *err);

#endif
