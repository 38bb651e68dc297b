/* json.h: the JSON that nsearch --json, --batch and nsearch.cgi?format=json
 * print (docs/interface.md "JSON"). Output is one line, UTF-8, no trailing newline.
 * "url" is null unless the article's url may be a link (ns_html_url_linkable:
 * http or https), as on the web page. */
#ifndef NS_JSON_H
#define NS_JSON_H

#include "buf.h"
#include "permalink.h"
#include "search.h"

#include <stddef.h>

/* Append s[0..len) as a JSON string literal (quotes included); control
 * characters escaped, invalid UTF-8 replaced by U+FFFD. */
int ns_json_string(ns_buf *out, const char *s, size_t len);

typedef struct ns_json_opts {
    double took_ms;     /* >= 0: add "took_ms", the milliseconds the search took (--batch) */
    int archive_paths;  /* "path" relative to the archive root ("en/x.md"), null in a
                         * database written before it was stored: the web, which must not
                         * show the server's files; 0: the path as nindex found it (the
                         * CLI, whose users open the file) */
    const ns_permalink *permalink; /* non-NULL: add "permalink", the blog's own page of
                                    * each article (null when the article lacks what
                                    * the template needs); NULL: no such key */
} ns_json_opts;

#define NS_JSON_OPTS_INIT { .took_ms = -1, .archive_paths = 0, .permalink = NULL }

/* Append the --json object for r. */
int ns_json_results(ns_buf *out, const ns_results *r);

/* The same with options (NULL: as ns_json_results). */
int ns_json_results_opts(ns_buf *out, const ns_results *r, const ns_json_opts *o);

/* Append {"query": query[0..query_len), "error": message} (a bad --batch
 * line): the query whole, NUL bytes included (escaped). */
int ns_json_error(ns_buf *out, const char *query, size_t query_len, const char *message);

#endif
