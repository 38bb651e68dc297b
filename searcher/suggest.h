/* suggest.h: "did you mean" for a query: each unknown word of it replaced by
 * its best spelling correction from the index's own words (the suggestion
 * dictionary, src/sdict.h; for a database without one, Xapian's spelling
 * table, which is slower). Whether the corrected query finds anything is
 * the caller's to check (search.c runs it before offering it). */
#ifndef NS_SUGGEST_H
#define NS_SUGGEST_H

#include "err.h"
#include "query.h"
#include "xapian_shim.h"

#include <stddef.h>

/* Words shorter than NS_SUGGEST_MIN_CHARS get no correction (one would be
 * mostly a guess), shorter than NS_SUGGEST_LONG_CHARS at most one edit
 * (else two), and at most NS_SUGGEST_MAX_LOOKUPS words of a query are
 * looked up. */
#define NS_SUGGEST_MIN_CHARS 4
#define NS_SUGGEST_LONG_CHARS 6
#define NS_SUGGEST_MAX_LOOKUPS 3

/* query[0..len), parsed as q: *out is the query with each word that no
 * article has replaced by its correction (malloc'd, the caller frees it), or
 * NULL when no word changes. */
int ns_suggest_spelling(ns_xdb *db, const ns_query *q, const char *query, size_t len, char **out,
                        ns_err *err);

#endif
