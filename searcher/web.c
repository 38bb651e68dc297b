/* web.c: one request of the search page to one response (web.h): the
 * parameters checked, the search run, and the answer chosen: a results page
 * (web_page.c), the landing page, JSON, OpenSearch, or a refusal or failure
 * page (web_frame.c) in the reader's words (web_msgs.c). */
#include "web.h"

#include "html.h"
#include "i18n.h"
#include "json.h"
#include "permalink.h"
#include "schema.h"
#include "typed.h"
#include "web_frame.h"
#include "web_msgs.h"
#include "web_page.h"
#include "web_results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TRY(x)                  \
    do {                        \
        if ((rc = (x)) < 0)     \
            goto done;          \
    } while (0)

/* Terms one prefix* may expand to: bounds the work a request can ask for. */
#define WEB_MAX_WILDCARD 200

struct ns_web {
    char *dbpath;
    char *base_url;             /* NSEARCH_BASE_URL without a final '/', or NULL */
    ns_permalink *permalink;    /* NSEARCH_PERMALINK, or NULL */
    ns_vendor_names *vendor_names; /* vendors' Russian names */
    ns_searcher *searcher;      /* NULL until the first search, or after a failure */
    ns_results *recent[2];      /* S_recent's answer for en and ru, kept while the
                                 * database stays in recent_state[i] of searcher */
    unsigned long recent_state[2];
    ns_xdb_opts xo;             /* NSEARCH_SHARD_TIMEOUT, NSEARCH_ALLOW_PARTIAL */
};

/* ---- responses ----------------------------------------------------------------------- */

static const char S_html[] = "text/html; charset=utf-8";
static const char S_json[] = "application/json; charset=utf-8";


/* A 400 page (or JSON error) whose message is text (escaped here). */
static int S_bad_request(ns_web_response *resp, const char *ui, const char *script,
                         const ns_cgi_params *p, const char *text)
{
    int rc;
    ns_buf msg = NS_BUF_INIT;
    resp->status = 400;
    resp->cache_control = "no-store";
    if (p && p->json) {
        resp->content_type = S_json;
        TRY(ns_json_error(&resp->body, p->q, strlen(p->q), text));
        TRY(ns_buf_putc(&resp->body, '\n'));
        goto done;
    }
    resp->content_type = S_html;
    TRY(ns_web_esc(&msg, text));
    TRY(ns_web_message_page(&resp->body, ui, script, p, ns_web_t(ui, "Bad request", "Неверный запрос"),
                       ns_buf_cstr(&msg)));
done:
    ns_buf_free(&msg);
    return rc;
}

static int S_bad_params(ns_web_response *resp, const char *ui, const char *script,
                        const ns_cgi_params *p)
{
    int rc;
    const char *fmt = ns_web_param_text(p->bad, ui);
    /* the one %s is the user's value: substituted as text, escaped later */
    ns_buf text = NS_BUF_INIT;
    const char *at = strstr(fmt, "%s");
    if (at && p->bad_value) {
        TRY(ns_buf_append(&text, fmt, (size_t)(at - fmt)));
        TRY(ns_buf_puts(&text, p->bad_value));
        TRY(ns_buf_puts(&text, at + 2));
    } else {
        TRY(ns_buf_puts(&text, fmt));
    }
    TRY(S_bad_request(resp, ui, script, p, ns_buf_cstr(&text)));
done:
    ns_buf_free(&text);
    return rc;
}

/* why: the failure's code; a shard that did not answer is a 503 (another
 * try may find it back), anything else a 500. */
static int S_unavailable(ns_web_response *resp, const char *ui, const char *script,
                         const ns_cgi_params *p, int why)
{
    int rc;
    ns_buf msg = NS_BUF_INIT;
    const char *text = ns_web_t(ui, "Search is temporarily unavailable. Please try again later.",
                           "Поиск временно недоступен. Попробуйте позже.");
    resp->status = why == NS_ESHARD ? 503 : 500;
    resp->cache_control = "no-store";
    if (p && p->json) {
        resp->content_type = S_json;
        TRY(ns_json_error(&resp->body, p->q, strlen(p->q),
                          "search is temporarily unavailable"));
        TRY(ns_buf_putc(&resp->body, '\n'));
        goto done;
    }
    resp->content_type = S_html;
    TRY(ns_web_esc(&msg, text));
    TRY(ns_web_message_page(&resp->body, ui, script, p,
                       ns_web_t(ui, "Search is unavailable", "Поиск недоступен"), ns_buf_cstr(&msg)));
done:
    ns_buf_free(&msg);
    return rc;
}

/* The OpenSearch description. Its links are the configured base URL and
 * SCRIPT_NAME, from the server's configuration both: the Host header, which
 * the client chooses, went into them once, and caches kept the result. */
static int S_opensearch(ns_web_response *resp, const ns_web *w, const ns_web_env *env,
                        const char *ui)
{
    int rc;
    ns_buf base = NS_BUF_INIT;
    ns_buf *out = &resp->body;
    if (w->base_url)
        TRY(ns_buf_puts(&base, w->base_url));
    TRY(ns_web_script(&base, env->script_name ? env->script_name : ""));

    resp->status = 200;
    resp->content_type = "application/opensearchdescription+xml; charset=utf-8";
    resp->cache_control = "public, max-age=3600";
    TRY(ns_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
                         "<ShortName>"));
    TRY(ns_web_esc(out, ns_web_t(ui, "ML news", "Новости ML")));
    TRY(ns_buf_puts(out, "</ShortName>\n<Description>"));
    TRY(ns_web_esc(out, ns_web_t(ui, "Search the archive of machine-learning news",
                       "Поиск по архиву новостей машинного обучения")));
    TRY(ns_buf_puts(out, "</Description>\n<InputEncoding>UTF-8</InputEncoding>\n"
                         "<Url type=\"text/html\" method=\"get\" template=\""));
    TRY(ns_html_escape(out, base.data, base.len));
    TRY(ns_buf_puts(out, "?q={searchTerms}\"/>\n<Url type=\"application/json\" method=\"get\" "
                         "template=\""));
    TRY(ns_html_escape(out, base.data, base.len));
    TRY(ns_buf_puts(out, "?q={searchTerms}&amp;format=json\"/>\n"
                         "<Url type=\"application/opensearchdescription+xml\" rel=\"self\" "
                         "template=\""));
    TRY(ns_html_escape(out, base.data, base.len));
    TRY(ns_buf_puts(out, "?opensearch=1\"/>\n</OpenSearchDescription>\n"));
done:
    ns_buf_free(&base);
    return rc;
}

/* Replace each vendor the searcher knows by its canonical name, so filters,
 * facets and links agree ("nvidia" and "NVIDIA" are one filter); drop duplicates. */
static int S_canonical_vendors(ns_searcher *s, ns_cgi_params *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nvendors; i++) {
        const char *c = ns_searcher_vendor(s, p->vendors[i], strlen(p->vendors[i]));
        if (c && strcmp(c, p->vendors[i]) != 0) {
            char *d = strdup(c);
            if (!d)
                return NS_ENOMEM;
            free(p->vendors[i]);
            p->vendors[i] = d;
        }
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            if (strcasecmp(p->vendors[j], p->vendors[i]) == 0)
                dup = 1;
        if (dup)
            free(p->vendors[i]);
        else
            p->vendors[n++] = p->vendors[i];
    }
    p->nvendors = n;
    return 0;
}

/* The newest articles in the interface's language, with the vendors and
 * months of that language's articles: what the landing and empty pages offer.
 * NULL when there is no database (yet) or it fails: those pages then do
 * without, and a search says why. */
static void S_forget_recent(ns_web *w)
{
    for (int k = 0; k < 2; k++) {
        ns_results_free(w->recent[k]);
        w->recent[k] = NULL;
    }
}

static const ns_results *S_recent(ns_web *w, const char *ui)
{
    ns_err err;
    ns_results *r = NULL;
    unsigned long state = 0;
    int k = strcmp(ui, "ru") == 0;
    if (!w->searcher && ns_searcher_open_opts(&w->searcher, w->dbpath, &w->xo, &err) < 0) {
        w->searcher = NULL;
        return NULL;
    }
    /* the same until the database changes: a page that finds nothing (and
     * the landing page) asked for it each time, a search over every article
     * sorted by date with its facets, three times the cost of the page's own
     * search at 10,000 articles */
    int known = ns_searcher_state(w->searcher, &state, &err) == 0;
    if (known && w->recent[k] && w->recent_state[k] == state)
        return w->recent[k];
    ns_search_opts opts = NS_SEARCH_OPTS_INIT;
    opts.lang = ui;
    opts.sort_by_date = 1;
    opts.limit = 5;
    opts.facets = 1;
    opts.snippet_chars = 1;
    if (ns_search(w->searcher, "", 0, &opts, &r, &err) < 0)
        return NULL;
    /* kept under the state before the search: a commit landing during it
     * makes the next request search again */
    ns_results_free(w->recent[k]);
    w->recent[k] = r;
    w->recent_state[k] = known ? state : ~0UL;
    return r;
}

/* Typed vendors by their canonical names, as facets and chips show them. */
static int S_canonical_typed(ns_searcher *s, ns_typed_filter *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *c = f[i].kind == 'v' ? ns_searcher_vendor(s, f[i].value, strlen(f[i].value))
                                         : NULL;
        if (c && strcmp(c, f[i].value) != 0) {
            char *d = strdup(c);
            if (!d)
                return NS_ENOMEM;
            free(f[i].value);
            f[i].value = d;
        }
    }
    return 0;
}

/* ---- public ---------------------------------------------------------------------------- */

int ns_web_new(ns_web **out, const char *dbpath, ns_err *err)
{
    *out = NULL;
    ns_web *w = calloc(1, sizeof *w);
    if (!w || !(w->dbpath = strdup(dbpath ? dbpath : NS_DEFAULT_DB))) {
        free(w);
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    }
    int rc = ns_vendor_names_new(&w->vendor_names, err);
    if (rc < 0) {
        ns_web_free(w);
        return rc;
    }
    ns_xdb_opts xo = NS_XDB_OPTS_INIT;
    w->xo = xo;
    *out = w;
    return 0;
}

void ns_web_set_shard_opts(ns_web *w, const ns_xdb_opts *xo)
{
    if (w && xo)
        w->xo = *xo;
}

void ns_web_free(ns_web *w)
{
    if (!w)
        return;
    ns_searcher_close(w->searcher);
    ns_results_free(w->recent[0]);
    ns_results_free(w->recent[1]);
    free(w->dbpath);
    free(w->base_url);
    ns_permalink_free(w->permalink);
    ns_vendor_names_free(w->vendor_names);
    free(w);
}

/* A URL character allowed in a path (RFC 3986 pchar and '/', '%' checked
 * apart). */
static int S_path_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("-._~!$&'()*+,;=:@/", c);
}

static int S_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int ns_web_set_base_url(ns_web *w, const char *url, ns_err *err)
{
    char shown[104];
    if (!url)
        return ns_err_set(err, NS_EINVAL, "ns_web_set_base_url: NULL url");
    size_t n = 0, i, len = strlen(url);
    const unsigned char *u = (const unsigned char *)url;
    const char *why = NULL;

    for (; n < 100 && url[n]; n++)
        shown[n] = (u[n] < 0x20 || u[n] >= 0x7f) ? '?' : url[n];
    snprintf(shown + n, sizeof shown - n, "%s", url[n] ? "..." : "");
    if (strncasecmp(url, "http://", 7) == 0)
        i = 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        i = 8;
    else
        return ns_err_set(err, NS_EINVAL, "'%s' does not start with http:// or https://", shown);
    for (size_t k = 0; k < len && !why; k++)
        if (u[k] <= 0x20 || u[k] >= 0x7f)
            why = "has a space, a control or a non-ASCII character (percent-encode the path; "
                  "a host in punycode)";
    if (!why && u[i] == '[') { /* an IPv6 address */
        size_t h = ++i;
        while (S_hex(u[i]) || u[i] == ':' || u[i] == '.')
            i++;
        if (u[i] != ']' || i == h)
            why = "has a malformed [IPv6] host";
        else
            i++;
    } else if (!why) {
        size_t h = i;
        while ((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= 'A' && u[i] <= 'Z') ||
               (u[i] >= '0' && u[i] <= '9') || u[i] == '-' || u[i] == '.')
            i++;
        if (i == h)
            why = "has no host";
    }
    if (!why && u[i] == ':') {
        size_t p = ++i;
        while (u[i] >= '0' && u[i] <= '9')
            i++;
        if (i == p || i - p > 5)
            why = "has a malformed port";
    }
    if (!why && u[i] && u[i] != '/')
        why = "has something other than a path after the host (a user, a query, a fragment?)";
    for (; !why && u[i]; i++)
        if (u[i] == '%' ? !(S_hex(u[i + 1]) && S_hex(u[i + 2])) : !S_path_char(u[i]))
            why = "has a character a path may not hold (a query or fragment?) or a bad %-escape";
    if (why)
        return ns_err_set(err, NS_EINVAL, "'%s' %s", shown, why);
    while (len > 0 && url[len - 1] == '/')
        len--;
    char *copy = malloc(len + 1);
    if (!copy)
        return ns_err_set(err, NS_ENOMEM, "out of memory");
    memcpy(copy, url, len);
    copy[len] = '\0';
    free(w->base_url);
    w->base_url = copy;
    return 0;
}

int ns_web_set_permalink(ns_web *w, const char *tmpl, ns_err *err)
{
    ns_permalink *pl = NULL;
    int rc = ns_permalink_new(&pl, tmpl, err);
    if (rc < 0)
        return rc;
    ns_permalink_free(w->permalink);
    w->permalink = pl;
    return 0;
}

/* 405: only GET and HEAD. */
static int S_not_allowed(ns_web_response *resp, const char *ui, const char *script)
{
    ns_buf msg = NS_BUF_INIT;
    resp->status = 405;
    resp->allow = 1;
    resp->cache_control = "no-store";
    resp->content_type = S_html;
    int rc = ns_web_esc(&msg, ns_web_t(ui, "This page answers GET and HEAD requests only.",
                                       "Эта страница отвечает только на запросы GET и HEAD."));
    if (rc == 0)
        rc = ns_web_message_page(&resp->body, ui, script, NULL,
                                 ns_web_t(ui, "Method not allowed", "Метод не поддерживается"),
                                 ns_buf_cstr(&msg));
    ns_buf_free(&msg);
    return rc;
}

/* Run p's search into *r (0). A query refused (a 400 in the reader's words)
 * or a failure (a 503, logged; the searcher reopened next time) makes the
 * response here and gives 1; NS_ENOMEM when even that failed. */
static int S_search(ns_web *w, const ns_cgi_params *p, const char *ui, const char *script,
                    ns_web_response *resp, ns_results **r)
{
    ns_err err;
    int rc;
    ns_err_clear(&err);
    ns_search_opts opts = NS_SEARCH_OPTS_INIT;
    opts.vendors = (const char *const *)p->vendors;
    opts.nvendors = p->nvendors;
    opts.month = p->month;
    opts.lang = p->lang;
    opts.offset = (p->page - 1) * NS_CGI_PAGE_SIZE;
    opts.limit = NS_CGI_PAGE_SIZE;
    opts.sort_by_date = p->sort_by_date;
    opts.as_typed = p->as_typed;
    opts.cross = !p->no_cross;
    opts.facets = 1;
    opts.max_wildcard = WEB_MAX_WILDCARD;
    opts.stories = 1;        /* a story told in both languages once, in the reader's */
    opts.story_lang = ui;
    int refusal = 0;
    opts.refusal = &refusal;
    rc = ns_search(w->searcher, p->q, strlen(p->q), &opts, r, &err);
    if (rc == NS_ESYNTAX || rc == NS_EINVAL || rc == NS_ETOOBIG || rc == NS_ETERM ||
        rc == NS_EUTF8) {
        /* the page says it in plain words in its language; JSON, for
         * programs, gives the parser's own message as nsearch does */
        rc = S_bad_request(resp, ui, script, p,
                           p->json ? err.msg : ns_web_refusal_text(ui, rc, refusal));
        goto done;
    }
    if (rc < 0) {
        TRY(ns_buf_printf(&resp->log, "nsearch.cgi: search failed in %s: %s (%s)", w->dbpath,
                          err.msg, ns_strerror(rc)));
        /* start afresh next time: the database may have been replaced or repaired */
        int why = rc;
        ns_searcher_close(w->searcher);
        w->searcher = NULL;
        S_forget_recent(w); /* a new searcher counts its states afresh */
        TRY(S_unavailable(resp, ui, script, p, why));
        goto done;
    }
    return 0;
done:
    return rc < 0 ? rc : 1;
}

/* The 200 response for p's results r: JSON or the page. */
static int S_answer(ns_web *w, const ns_cgi_params *p, const ns_results *r, const char *ui,
                    const char *script, ns_web_response *resp)
{
    int rc = 0;
    resp->status = 200;
    resp->cache_control = "public, max-age=60";
    if (p->json) {
        resp->content_type = S_json;
        resp->language = NULL;
        /* what nsearch --json --facets prints, but "path" relative to the
         * archive root: the server's own paths are none of a visitor's business */
        ns_json_opts jo = NS_JSON_OPTS_INIT;
        jo.archive_paths = 1;
        jo.permalink = w->permalink;
        TRY(ns_json_results_opts(&resp->body, r, &jo));
        TRY(ns_buf_putc(&resp->body, '\n'));
    } else {
        resp->content_type = S_html;
        ns_typed_filter typed[NS_TYPED_MAX];
        size_t ntyped = 0;
        TRY(ns_typed_find(p->q, strlen(p->q), typed, &ntyped));
        rc = S_canonical_typed(w->searcher, typed, ntyped);
        /* nothing found: what to read instead (an empty page is a dead end) */
        const ns_results *recent = rc == 0 && r->total == 0 ? S_recent(w, ui) : NULL;
        ns_web_page pg = { script, ui, w->permalink, w->vendor_names, typed, ntyped, recent };
        if (rc == 0)
            rc = ns_web_render_page(&resp->body, p, r, &pg);
        ns_typed_free(typed, ntyped);
        if (rc < 0)
            goto done;
    }
done:
    return rc;
}

int ns_web_handle(ns_web *w, const ns_web_env *env, ns_web_response *resp)
{
    int rc = 0;
    ns_cgi_params p;
    ns_results *r = NULL;
    ns_err err;
    ns_err_clear(&err);
    const char *method = env->method && *env->method ? env->method : "GET";
    const char *script = env->script_name ? env->script_name : "";
    const char *qs = env->query_string ? env->query_string : "";

    TRY(ns_cgi_parse(&p, qs, strlen(qs)));
    const char *ui = ns_cgi_ui_lang(p.q, env->accept_language);
    resp->language = ui;
    resp->head = strcmp(method, "HEAD") == 0;
    if (strcmp(method, "GET") != 0 && !resp->head) {
        rc = S_not_allowed(resp, ui, script);
        goto done;
    }
    if (p.opensearch || (env->path_info && strcmp(env->path_info, "/opensearch.xml") == 0)) {
        TRY(S_opensearch(resp, w, env, ui));
        goto done;
    }
    if (p.bad != NS_CGI_OK) {
        TRY(S_bad_params(resp, ui, script, &p));
        goto done;
    }
    if (!p.json && !*p.q && p.nvendors == 0 && !p.month && !p.lang) {
        const ns_results *recent = S_recent(w, ui);
        ns_web_page pg = { script, ui, w->permalink, w->vendor_names, NULL, 0, recent };
        resp->status = 200;
        resp->content_type = S_html;
        resp->cache_control = "public, max-age=60";
        rc = ns_web_landing(&resp->body, &pg, &p);
        goto done;
    }

    if (!w->searcher && (rc = ns_searcher_open_opts(&w->searcher, w->dbpath, &w->xo, &err)) < 0) {
        int why = rc;
        w->searcher = NULL;
        TRY(ns_buf_printf(&resp->log, "nsearch.cgi: cannot open database %s: %s", w->dbpath,
                          err.msg));
        TRY(S_unavailable(resp, ui, script, &p, why));
        goto done;
    }
    TRY(S_canonical_vendors(w->searcher, &p));

    if ((rc = S_search(w, &p, ui, script, resp, &r)) != 0)
        goto done; /* refused or failed: the response is made */
    rc = S_answer(w, &p, r, ui, script, resp);
done:
    ns_results_free(r);
    ns_cgi_params_clear(&p);
    return rc < 0 ? rc : 0;
}

static const char *S_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 405: return "Method Not Allowed";
    default: return "Internal Server Error";
    }
}

int ns_web_headers(ns_buf *out, const ns_web_response *resp)
{
    int rc;
    TRY(ns_buf_printf(out, "Status: %d %s\r\n", resp->status, S_reason(resp->status)));
    TRY(ns_buf_printf(out, "Content-Type: %s\r\n",
                      resp->content_type ? resp->content_type : S_html));
    TRY(ns_buf_printf(out, "Content-Length: %zu\r\n", resp->body.len));
    TRY(ns_buf_printf(out, "Cache-Control: %s\r\n",
                      resp->cache_control ? resp->cache_control : "no-store"));
    if (resp->language) {
        TRY(ns_buf_printf(out, "Content-Language: %s\r\n", resp->language));
        TRY(ns_buf_puts(out, "Vary: Accept-Language\r\n"));
    }
    if (resp->allow)
        TRY(ns_buf_puts(out, "Allow: GET, HEAD\r\n"));
    TRY(ns_buf_puts(out, "X-Content-Type-Options: nosniff\r\n"
                         "Referrer-Policy: same-origin\r\n"
                         "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; "
                         "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
                         "base-uri 'none'\r\n\r\n"));
done:
    return rc;
}

void ns_web_response_clear(ns_web_response *resp)
{
    ns_buf_free(&resp->body);
    ns_buf_free(&resp->log);
    ns_web_response r = NS_WEB_RESPONSE_INIT;
    *resp = r;
}

