/* typed.h: the filters a reader typed into the search box ("vendor:Google",
 * month:2020-10, lang:ru, vendor:"Hugging Face"), found the way the query
 * parser (query.c) finds them, so the page can show each as a chip, mark its
 * facet entry and offer the same search without it. Only finds them: the
 * query parser still checks and applies them. */
#ifndef NS_TYPED_H
#define NS_TYPED_H

#include "buf.h"

#include <stddef.h>

typedef struct ns_typed_filter {
    char kind;          /* 'v' vendor, 'm' month, 'l' lang */
    size_t start, end;  /* the bytes of the whole filter in the query */
    char *value;        /* its value, unquoted (a vendor as typed: the caller
                         * may replace it by the canonical name) */
} ns_typed_filter;

#define NS_TYPED_MAX 16 /* more are left out: a chip row, not a list */

/* Find the filters in q[0..len) into out[0..*n). 0 or NS_ENOMEM. Free with
 * ns_typed_free. A filter preceded by '-' (refused by the parser) is left out. */
int ns_typed_find(const char *q, size_t len, ns_typed_filter out[NS_TYPED_MAX], size_t *n);
void ns_typed_free(ns_typed_filter *f, size_t n);

/* Append q without the filter f, the spaces around it collapsed to one. */
int ns_typed_without(ns_buf *out, const char *q, const ns_typed_filter *f);

#endif
