/* web_results.h: one search result as HTML on the page: its title (a link to
 * the blog's own article when a permalink template is configured, else to
 * the article's source url when that may be a link), a language badge and the
 * right `lang` on what the article wrote, the date in the interface's
 * language, vendors by the names the interface uses, the source as a second
 * link, and the snippet. Everything written is escaped (html.h). */
#ifndef NS_WEB_RESULTS_H
#define NS_WEB_RESULTS_H

#include "buf.h"
#include "i18n.h"
#include "permalink.h"
#include "search.h"
#include "typed.h"

/* What every part of one page shares. Borrowed; any pointer but ui and
 * script may be NULL. */
typedef struct ns_web_page {
    const char *script;                 /* SCRIPT_NAME: the page's own path */
    const char *ui;                     /* "en" or "ru" */
    const ns_permalink *permalink;      /* NSEARCH_PERMALINK, or NULL */
    const ns_vendor_names *vendor_names; /* vendors' Russian names, or NULL */
    const ns_typed_filter *typed;       /* filters typed in the box (vendors canonical) */
    size_t ntyped;
    const ns_results *recent;           /* the newest articles in the interface's language
                                         * with their facets (landing and empty pages) */
} ns_web_page;

/* Append <li class="hit" ...>...</li> for h. 0 or NS_ENOMEM. */
int ns_web_hit(ns_buf *out, const ns_hit *h, const ns_web_page *pg);

/* Append what a reader can do next, from pg->recent (nothing when NULL):
 * the newest articles, then vendors and months to browse, as links. */
int ns_web_browse(ns_buf *out, const ns_web_page *pg);

/* Append the host of an http(s) url ("arxiv.org"), without "www.". */
int ns_web_url_host(ns_buf *out, const char *url);

#endif
