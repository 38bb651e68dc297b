/* web_page.h: the two pages the search page is made of besides its
 * messages: a page of results (the filters as chips, the count and sort
 * order, the suggestion and other notices, the results through
 * web_results.h, the pages, the facets) and the landing page (what to type,
 * examples, what to browse). Each appends a whole HTML document to out and
 * returns 0 or NS_ENOMEM; everything written is escaped (web_frame.h). */
#ifndef NS_WEB_PAGE_H
#define NS_WEB_PAGE_H

#include "buf.h"
#include "cgi.h"
#include "search.h"
#include "web_results.h"

/* The HTML of a results page, for a parsed request and its results: exposed
 * for unit tests. script is the page's own path (SCRIPT_NAME). */
int ns_web_render_results(ns_buf *out, const ns_cgi_params *p, const ns_results *r,
                          const char *script, const char *ui);

/* The same with everything the page shares (permalinks, vendor names). */
int ns_web_render_page(ns_buf *out, const ns_cgi_params *p, const ns_results *r,
                       const ns_web_page *pg);

/* The landing page: no query and no filter (p's state, if any, in the form). */
int ns_web_landing(ns_buf *out, const ns_web_page *pg, const ns_cgi_params *p);

#endif
