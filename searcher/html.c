/* html.c: HTML escaping and <mark> highlighting (html.h). */
#include "html.h"

#include "utf8.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

int ns_html_escape(ns_buf *out, const char *s, size_t len)
{
    /* Runs of characters that need nothing are copied in one append each
     * (a page escapes a few hundred strings; a call per character was a
     * tenth of a FastCGI request). */
    size_t run = 0; /* start of the pending run */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        const char *rep;
        size_t n = 1;
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            i += 2; /* a two-byte character (Cyrillic): valid, copied as it is */
            continue;
        }
        if (c >= 0x80) {
            int32_t cp;
            n = (size_t)ns_utf8_decode(s + i, len - i, &cp);
            if (cp >= 0) {
                i += n; /* valid UTF-8, copied as it is */
                continue;
            }
            rep = "\xEF\xBF\xBD"; /* U+FFFD */
        } else {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            case 0: rep = "\xEF\xBF\xBD"; break; /* NUL has no place in HTML */
            default: i++; continue;
            }
        }
        if ((i > run && ns_buf_append(out, s + run, i - run) < 0) || ns_buf_puts(out, rep) < 0)
            return NS_ENOMEM;
        i += n;
        run = i;
    }
    if (len > run && ns_buf_append(out, s + run, len - run) < 0)
        return NS_ENOMEM;
    return 0;
}

int ns_html_url_linkable(const char *url)
{
    if (!url)
        return 0;
    size_t skip;
    if (strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    else
        return 0;
    if (url[skip] == '\0')
        return 0;
    for (const unsigned char *c = (const unsigned char *)url; *c; c++)
        if (*c <= 0x20 || *c == 0x7f)
            return 0;
    return 1;
}

int ns_html_snippet(ns_buf *out, const ns_hit *hit)
{
    return ns_html_marked(out, hit->snippet, hit->marks, hit->nmarks);
}

int ns_html_marked(ns_buf *out, const char *text, const ns_span *marks, size_t nmarks)
{
    const char *s = text ? text : "";
    size_t len = strlen(s), at = 0;
    for (size_t k = 0; k < nmarks; k++) {
        const ns_span *m = &marks[k];
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
