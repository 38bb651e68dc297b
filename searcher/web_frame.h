/* web_frame.h: what every page of the search page shares (web.c's responses
 * and web_page.c's results and landing pages): the document head (style
 * sheet, inline icon, OpenSearch link), the header with the search form, the
 * message page of refusals and failures, and the links a page makes to
 * itself. Internal to the web program's modules.
 *
 * Everything written is escaped for HTML (html.h); a value that goes into a
 * link is percent-encoded first and the whole link then escaped for its
 * attribute. Each function appends to out and returns 0 or NS_ENOMEM. */
#ifndef NS_WEB_FRAME_H
#define NS_WEB_FRAME_H

#include "buf.h"
#include "cgi.h"

#include <stddef.h>

/* The state a link leads to: the current request with one thing changed. */
typedef struct ns_web_link_state {
    const char *q;
    char *const *vendors;
    size_t nvendors;
    const char *drop_vendor;    /* leave this active vendor out */
    const char *add_vendor;     /* and/or add this one */
    const char *month;
    const char *lang;
    int sort_by_date;
    int no_cross;
    unsigned page;
    int as_typed;
} ns_web_link_state;

/* en or ru as ui is "ru" or not. */
const char *ns_web_t(const char *ui, const char *en, const char *ru);

/* s (NUL-terminated) escaped for HTML text or a double-quoted attribute. */
int ns_web_esc(ns_buf *out, const char *s);

/* The page's own path, percent-encoded where a path needs it. */
int ns_web_script(ns_buf *out, const char *script);

/* The state of the request p, to change one thing of it in a link. Borrows
 * from p. */
ns_web_link_state ns_web_state(const ns_cgi_params *p);

/* The href value (escaped for a double-quoted attribute) of the page in st. */
int ns_web_href(ns_buf *out, const char *script, const ns_web_link_state *st);

/* <a href="..."ATTRS>TEXT</a> to the page in st; attrs (may be NULL) is
 * written as it is, text escaped. */
int ns_web_link(ns_buf *out, const char *script, const ns_web_link_state *st, const char *attrs,
                const char *text);

/* From <!DOCTYPE html> to <body>; q (may be NULL) starts the title. */
int ns_web_head(ns_buf *out, const char *ui, const char *script, const char *q);

/* The header with the search form, holding p's query and filters (p may be
 * NULL); focus: the box has autofocus (the landing page). */
int ns_web_form(ns_buf *out, const char *ui, const char *script, const ns_cgi_params *p,
                int focus);

/* A whole page saying heading and html_message (already HTML), the form
 * keeping p's query (p may be NULL). */
int ns_web_message_page(ns_buf *out, const char *ui, const char *script, const ns_cgi_params *p,
                        const char *heading, const char *html_message);

#endif
