/* intent.h: a month, a year or a vendor written in a query's words, read as
 * a wish to see those articles first, never as a filter.
 *
 * - A month: a month's name (English, full or abbreviated; Russian, in the
 *   nominative, genitive or prepositional case) right before a year of four
 *   digits, 1900..2099: "December 2020", "Dec 2020", "в декабре 2020", "за
 *   июнь 2021". Russian "год"/"года"/"году" right after the year belongs to it.
 * - A year alone: "2019", "Яндекс в 2019 году".
 * - A vendor: one to three consecutive words that name a vendor of the vendor
 *   table, through its aliases and inflections ("Sber", "Яндекса", "Hugging
 *   Face"). The first one found is read.
 *
 * Only plain words alone in their clause count (not phrases, prefixes or
 * words joined by OR). Each intent's words become one clause of the query
 * (ns_query_merge) that the words themselves meet as before, or an article of
 * that month, year or vendor does, which then weighs `weight` for it: so the
 * articles of the intent rank first and the others still match. Explicit
 * month: and vendor: filters are untouched. */
#ifndef NS_INTENT_H
#define NS_INTENT_H

#include "analyze.h"
#include "err.h"
#include "vendors.h"

#include <stddef.h>

typedef struct ns_query ns_query; /* query.h, which includes this file through search.h */

typedef struct ns_intents {
    char month[8];      /* "YYYY-MM", or "" */
    char year[5];       /* "YYYY" when a year was read without a month, or "" */
    char *vendor;       /* canonical name (malloc'd), or NULL */
} ns_intents;

/* Read the intents of text[0..len) (the query q was parsed from) and merge
 * their words in q as above; v may be NULL (no vendor intent). out is
 * filled (cleared first); the caller frees it with ns_intents_clear.
 * NS_ENOMEM, or an error of the query shim. */
int ns_intents_apply(ns_query *q, ns_analyzer *a, const ns_vendors *v, const char *text,
                     size_t len, double weight, ns_intents *out, ns_err *err);
void ns_intents_clear(ns_intents *in);

/* The month of a month's name as written (any case), 1..12, or 0. */
int ns_intent_month_name(ns_analyzer *a, const char *word, size_t len);

#endif
