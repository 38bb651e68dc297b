/* html.h: HTML escaping and highlighting, shared by JSON's snippet_html and
 * the web page. Escapes & < > " ' so text is safe in element content and in
 * quoted attribute values. Invalid UTF-8 is replaced by U+FFFD. And the one
 * rule for an article's url, wherever it is shown: the page's links, the
 * JSON's "url" (CLI and web), the text output. */
#ifndef NS_HTML_H
#define NS_HTML_H

#include "buf.h"
#include "search.h"

#include <stddef.h>

int ns_html_escape(ns_buf *out, const char *s, size_t len);

/* 1 if url may be given out as a link: it starts with http:// or https://
 * (any case), has something after it, and holds no control characters or
 * spaces; else 0 (javascript:, data:, ...). */
int ns_html_url_linkable(const char *url);

/* The snippet with each mark wrapped in <mark>...</mark>, HTML-escaped. */
int ns_html_snippet(ns_buf *out, const ns_hit *hit);

/* The same for any text and its marks (a title). */
int ns_html_marked(ns_buf *out, const char *text, const ns_span *marks, size_t nmarks);

#endif
