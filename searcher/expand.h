/* expand.h: cross-lingual expansion of a query through the bilingual
 * glossary (glossary/en-ru.txt, compiled in; its header documents the format).
 *
 * Every form of the glossary is analysed like articles and queries
 * (src/analyze.h), by the same analyzer, so matching is on stems: нейросеть stands for нейросети,
 * translation for translations. A run of a query's plain words whose part
 * stems are exactly a form's, in order (the longest form first, multi-word
 * forms included), is expanded with the forms of the other language of the
 * same entry: the words become one clause met by the words as before, or,
 * for an article that lacks them, by any of those forms (Xapian's
 * OP_SYNONYM of their phrases), weighed `scale` times what such a match
 * would weigh. An article that has the words weighs exactly what it weighed
 * without expansion, so the articles in the query's language keep their
 * order; the other language's tellings follow them when scale is below 1.
 *
 * The glossary is read-only once loaded and may be shared by threads; each
 * call takes the caller's analyzer. */
#ifndef NS_EXPAND_H
#define NS_EXPAND_H

#include "analyze.h"
#include "err.h"

#include <stddef.h>

typedef struct ns_glossary ns_glossary;
typedef struct ns_query ns_query; /* query.h */

/* One expansion used: the query's words as written and the forms added. */
typedef struct ns_expansion {
    char *words;         /* malloc'd */
    char lang;           /* the words' language: 'e' or 'r' */
    char **with;         /* malloc'd forms of the other language, as written in the glossary */
    size_t nwith;
} ns_expansion;

/* The compiled-in glossary: glossary/en-ru.txt, analysed at build time
 * (glossary_impl.h says why), so loading it costs nothing. NS_ENOMEM. */
int ns_glossary_new(ns_glossary **out, ns_err *err);
/* Load one from text in the same format, analysing its forms with a.
 * NS_ESYNTAX names a bad line (glossary/en-ru.txt is checked by
 * tests/glossary/check.py, and read by this at build time). */
int ns_glossary_new_from_text(ns_glossary **out, ns_analyzer *a, const char *text, size_t len,
                              ns_err *err);
void ns_glossary_free(ns_glossary *g); /* NULL is a no-op */
/* Entries (lines) and forms loaded. */
size_t ns_glossary_entries(const ns_glossary *g);

/* Expand q (parsed from text) as above. *out (may be NULL: not wanted)
 * receives the expansions used, in query order (NULL for none), *nout their
 * number; free them with ns_expansions_free. NS_ENOMEM, or an error of the query shim. */
int ns_glossary_expand(const ns_glossary *g, ns_query *q, const char *text, double scale,
                       ns_expansion **out, size_t *nout, ns_err *err);
void ns_expansions_free(ns_expansion *e, size_t n);

#endif
