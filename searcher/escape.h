/* escape.h: HTML escaping and highlighting, shared by JSON's snippet_html and
 * the web page. Escapes & < > " ' so text is safe in element content and in
 * quoted attribute values. Invalid UTF-8 is replaced by U+FFFD. */
#ifndef NS_ESCAPE_H
#define NS_ESCAPE_H

#include "buf.h"
#include "search.h"

#include <stddef.h>

int ns_html_escape(ns_buf *out, const char *s, size_t len);

/* The snippet with each mark wrapped in <mark>...</mark>, HTML-escaped. */
int ns_html_snippet(ns_buf *out, const ns_hit *hit);

#endif
