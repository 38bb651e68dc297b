/* json.h: the JSON that nsearch --json, --batch and nsearch.cgi?format=json
 * print (CONTRACT.md "--json"). Output is one line, UTF-8, no trailing newline. */
#ifndef NS_JSON_H
#define NS_JSON_H

#include "buf.h"
#include "search.h"

#include <stddef.h>

/* Append s[0..len) as a JSON string literal (quotes included); control
 * characters escaped, invalid UTF-8 replaced by U+FFFD. */
int ns_json_string(ns_buf *out, const char *s, size_t len);

/* Append the --json object for r. */
int ns_json_results(ns_buf *out, const ns_results *r);

/* The same with "took_ms": the milliseconds the search took (a --batch
 * line), when took_ms >= 0. */
int ns_json_results_took(ns_buf *out, const ns_results *r, double took_ms);

/* Append {"query": query[0..query_len), "error": message} (a bad --batch
 * line): the query whole, NUL bytes included (escaped). */
int ns_json_error(ns_buf *out, const char *query, size_t query_len, const char *message);

#endif
