/* escape.c: HTML escaping and <mark> highlighting (escape.h). */
#include "escape.h"

#include "utf8.h"

#include <stdint.h>
#include <string.h>

int ns_html_escape(ns_buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = ns_utf8_decode(s + i, len - i, &cp);
        int rc;
        switch (cp) {
        case '&': rc = ns_buf_puts(out, "&amp;"); break;
        case '<': rc = ns_buf_puts(out, "&lt;"); break;
        case '>': rc = ns_buf_puts(out, "&gt;"); break;
        case '"': rc = ns_buf_puts(out, "&quot;"); break;
        case '\'': rc = ns_buf_puts(out, "&#39;"); break;
        case -1: rc = ns_buf_puts(out, "\xEF\xBF\xBD"); break; /* U+FFFD */
        case 0: rc = ns_buf_puts(out, "\xEF\xBF\xBD"); break;  /* NUL has no place in HTML */
        default: rc = ns_buf_append(out, s + i, (size_t)n); break;
        }
        if (rc < 0)
            return NS_ENOMEM;
        i += (size_t)n;
    }
    return 0;
}

int ns_html_snippet(ns_buf *out, const ns_hit *hit)
{
    const char *s = hit->snippet ? hit->snippet : "";
    size_t len = strlen(s), at = 0;
    for (size_t k = 0; k < hit->nmarks; k++) {
        const ns_span *m = &hit->marks[k];
        /* Marks are trusted only as far as they make sense. */
        if (m->start < at || m->end < m->start || m->end > len)
            continue;
        if (ns_html_escape(out, s + at, m->start - at) < 0 || ns_buf_puts(out, "<mark>") < 0 ||
            ns_html_escape(out, s + m->start, m->end - m->start) < 0 ||
            ns_buf_puts(out, "</mark>") < 0)
            return NS_ENOMEM;
        at = m->end;
    }
    return ns_html_escape(out, s + at, len - at);
}
