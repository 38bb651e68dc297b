/* web.h: one HTTP request of the search page to one response, independent of
 * how it arrived (plain CGI or FastCGI: nsearch_cgi.c does the I/O).
 *
 * The handler owns a searcher, opened on first use and kept across requests
 * (ns_search itself reopens the database to see nindex's latest commit). When
 * the database cannot be opened or a search fails for a reason other than the
 * query, the answer is a generic 500 page and the details go to resp->log for
 * the server's error log; the searcher is closed and reopened on the next
 * request, so a rebuilt database is picked up. */
#ifndef NS_WEB_H
#define NS_WEB_H

#include "buf.h"
#include "cgi.h"
#include "err.h"
#include "search.h"
#include "web_page.h"
#include "web_results.h"

#include <stddef.h>

/* The CGI variables the handler reads; any may be NULL. Borrowed. */
typedef struct ns_web_env {
    const char *method;             /* REQUEST_METHOD */
    const char *query_string;       /* QUERY_STRING */
    const char *accept_language;    /* HTTP_ACCEPT_LANGUAGE */
    const char *script_name;        /* SCRIPT_NAME: the page's own path */
    const char *path_info;          /* PATH_INFO ("/opensearch.xml") */
} ns_web_env;

typedef struct ns_web_response {
    int status;                 /* 200, 400, 405, 500 */
    const char *content_type;   /* static string */
    const char *cache_control;  /* static string */
    const char *language;       /* "en"/"ru" for Content-Language, or NULL */
    int allow;                  /* 405: send "Allow: GET, HEAD" */
    int head;                   /* HEAD: send the headers of body, not body */
    ns_buf body;
    ns_buf log;                 /* one line for the server's log, empty if none */
} ns_web_response;

#define NS_WEB_RESPONSE_INIT                                                           \
    { .status = 0, .content_type = NULL, .cache_control = NULL, .language = NULL,      \
      .allow = 0, .head = 0, .body = NS_BUF_INIT, .log = NS_BUF_INIT }

typedef struct ns_web ns_web;

/* dbpath is copied. Does not open the database yet. */
int ns_web_new(ns_web **out, const char *dbpath, ns_err *err);
void ns_web_free(ns_web *w); /* NULL is a no-op */

/* The site's public address (NSEARCH_BASE_URL), which the OpenSearch
 * description's links start with, followed by SCRIPT_NAME: "http://" or
 * "https://", a host (a name, an IPv4 or a [IPv6] address), an optional
 * ":port" and an optional path ("https://example.org/blog"); no userinfo,
 * query, fragment, spaces, control or non-ASCII characters. A final '/' is
 * dropped. NS_EINVAL with a message saying what is wrong. Copied. Without
 * it the links are absolute paths (SCRIPT_NAME alone), which the OpenSearch
 * grammar and the browsers (Firefox, Chromium) do not accept: nothing in a
 * request, the Host header least of all, ever goes into them. */
int ns_web_set_base_url(ns_web *w, const char *url, ns_err *err);

/* The blog's own address of each article (NSEARCH_PERMALINK), which result
 * titles link to and JSON gives as "permalink": a template such as
 * "https://blog.example/{id}/" (permalink.h says what one may hold).
 * NS_EINVAL with a message saying what is wrong. Without it titles link to
 * the article's source url, as far as it may be a link. Copied. */
int ns_web_set_permalink(ns_web *w, const char *tmpl, ns_err *err);
/* How the shards of a sharded database are reached (xapian_shim.h), for
 * the searches from now on: a shard that does not answer gives a 503 page
 * (or, with xo->allow_partial, the results without it and a notice naming
 * it; JSON "warning" and "missing_shards"). NULL leaves them as they are. */
void ns_web_set_shard_opts(ns_web *w, const ns_xdb_opts *xo);

/* Answer one request into resp (initialised with NS_WEB_RESPONSE_INIT, or
 * reset by a previous ns_web_response_clear). 0, or NS_ENOMEM when not even an
 * error page could be built. */
int ns_web_handle(ns_web *w, const ns_web_env *env, ns_web_response *resp);

/* Append the full header block ("Status: ...\r\n ... \r\n\r\n") for resp. */
int ns_web_headers(ns_buf *out, const ns_web_response *resp);

/* Free the buffers and reset resp for reuse. */
void ns_web_response_clear(ns_web_response *resp);

#endif
