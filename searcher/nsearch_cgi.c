/* nsearch_cgi.c: the blog's search page as one program. Started by a web
 * server per request it is a plain CGI program (one answer, then exit);
 * started by a FastCGI manager (spawn-fcgi, lighttpd's bin-path, mod_fcgid,
 * fcgiwrap is plain CGI) with a listening socket on stdin, it loops over
 * FastCGI requests and keeps the searcher open between them.
 *
 * The database is $NSEARCH_DB from the server's configuration, else
 * NS_DEFAULT_DB, the site's public address $NSEARCH_BASE_URL and the
 * articles' addresses $NSEARCH_PERMALINK (both checked here, at start: a bad
 * one stops the program); never anything from the
 * request. Everything about a request is decided in web.c; this file only
 * moves bytes. */
#include "schema.h"
#include "web.h"

#include <fcgiapp.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything the program holds; no globals. */
typedef struct app {
    ns_web *web;
    ns_web_response resp;
    ns_buf head;
} app;

typedef const char *(*getparam_fn)(const char *name, void *ctx);

static const char *S_getenv(const char *name, void *ctx)
{
    (void)ctx;
    return getenv(name);
}

static const char *S_fcgi_param(const char *name, void *ctx)
{
    return FCGX_GetParam(name, ((FCGX_Request *)ctx)->envp);
}

static ns_web_env S_env(getparam_fn get, void *ctx)
{
    ns_web_env e;
    e.method = get("REQUEST_METHOD", ctx);
    e.query_string = get("QUERY_STRING", ctx);
    e.accept_language = get("HTTP_ACCEPT_LANGUAGE", ctx);
    e.script_name = get("SCRIPT_NAME", ctx);
    e.path_info = get("PATH_INFO", ctx);
    return e;
}

/* Build the whole answer (headers, then body unless HEAD) into a.head/a.resp.
 * When even that fails (out of memory) a bare 500 is what the client gets. */
static int S_answer(app *a, const ns_web_env *env)
{
    ns_web_response_clear(&a->resp);
    ns_buf_reset(&a->head);
    if (ns_web_handle(a->web, env, &a->resp) < 0 || ns_web_headers(&a->head, &a->resp) < 0) {
        ns_web_response_clear(&a->resp);
        ns_buf_reset(&a->head);
        if (ns_buf_puts(&a->head, "Status: 500 Internal Server Error\r\n"
                                  "Content-Type: text/plain; charset=utf-8\r\n"
                                  "Cache-Control: no-store\r\n\r\n"
                                  "Search is temporarily unavailable.\n") < 0)
            return -1;
        if (ns_buf_puts(&a->resp.log, "nsearch.cgi: out of memory") < 0)
            return -1;
        return 0;
    }
    return 0;
}

/* The page never uses a request body, but a CGI program that exits without
 * reading it can lose its own answer: under Apache's mod_cgid stdin and stdout
 * are one socket, and closing it with unread data resets the connection before
 * the server has read the page (tests/e2e/web_apache_cgi.sh: a POST got half
 * its 405 page). So read what the server announced, up to a bound: past it the
 * request is not worth the time, and the server may cut the answer. */
#define NS_CGI_DRAIN_MAX (1u << 20)

static void S_drain_body(void)
{
    const char *cl = getenv("CONTENT_LENGTH");
    char buf[8192], *end;
    if (!cl || *cl < '0' || *cl > '9')
        return;
    errno = 0;
    unsigned long long left = strtoull(cl, &end, 10);
    if (errno || *end)
        return;
    if (left > NS_CGI_DRAIN_MAX)
        left = NS_CGI_DRAIN_MAX;
    while (left > 0) {
        size_t got = fread(buf, 1, left < sizeof buf ? (size_t)left : sizeof buf, stdin);
        if (got == 0)
            break;
        left -= got;
    }
}

static int S_cgi(app *a)
{
    ns_web_env env = S_env(S_getenv, NULL);
    S_drain_body();
    if (S_answer(a, &env) < 0)
        return 1;
    if (a->resp.log.len)
        fprintf(stderr, "%s\n", a->resp.log.data);
    fwrite(a->head.data, 1, a->head.len, stdout);
    if (!a->resp.head && a->resp.body.len)
        fwrite(a->resp.body.data, 1, a->resp.body.len, stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}

static int S_fastcgi(app *a)
{
    FCGX_Request req;
    if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0) {
        fprintf(stderr, "nsearch.cgi: cannot initialise FastCGI\n");
        return 1;
    }
    while (FCGX_Accept_r(&req) >= 0) {
        ns_web_env env = S_env(S_fcgi_param, &req);
        if (S_answer(a, &env) == 0) {
            if (a->resp.log.len)
                FCGX_FPrintF(req.err, "%s\n", a->resp.log.data);
            FCGX_PutStr(a->head.data, (int)a->head.len, req.out);
            if (!a->resp.head && a->resp.body.len)
                FCGX_PutStr(a->resp.body.data, (int)a->resp.body.len, req.out);
        }
        FCGX_Finish_r(&req);
        /* keep memory bounded between requests: one big page must not pin it */
        ns_web_response_clear(&a->resp);
        ns_buf_free(&a->head);
    }
    FCGX_Free(&req, 1);
    return 0;
}

int main(int argc, char **argv)
{
    app a = { NULL, NS_WEB_RESPONSE_INIT, NS_BUF_INIT };
    ns_err err;
    int rc;

    if (argc > 1 && (strcmp(argv[1], "--version") == 0)) {
        printf("nsearch.cgi %s\n", NS_VERSION);
        return 0;
    }
    if (argc > 1 && (strcmp(argv[1], "--help") == 0)) {
        printf("usage: nsearch.cgi (run by a web server as CGI or FastCGI)\n"
               "The database is $NSEARCH_DB, else %s. $NSEARCH_BASE_URL is the site's\n"
               "public address (https://example.org), which the OpenSearch links start with.\n"
               "$NSEARCH_SHARD_TIMEOUT (ms, default 10000) and $NSEARCH_ALLOW_PARTIAL=1 say\n"
               "how a sharded database's remote shards are waited for and whether results\n"
               "may leave out one that does not answer (else: a 503 page).\n"
               "$NSEARCH_PERMALINK is each article's address on the blog, which result\n"
               "titles link to: https://blog.example.org/{id}/ ({id}, {lang}, {year}, {month}).\n"
               "See docs/web.md.\n", NS_DEFAULT_DB);
        return 0;
    }
    /* a client that hangs up must not kill a FastCGI server mid-loop */
    signal(SIGPIPE, SIG_IGN);

    const char *db = getenv("NSEARCH_DB");
    if (!db || !*db)
        db = NS_DEFAULT_DB;
    if (ns_web_new(&a.web, db, &err) < 0) {
        fprintf(stderr, "nsearch.cgi: %s\n", err.msg);
        return 1;
    }
    const char *base = getenv("NSEARCH_BASE_URL");
    if (base && *base && ns_web_set_base_url(a.web, base, &err) < 0) {
        /* Refuse to start rather than serve links to the wrong place: a
         * FastCGI server fails at once, a CGI request gets the server's 500. */
        fprintf(stderr, "nsearch.cgi: NSEARCH_BASE_URL %s\n", err.msg);
        ns_web_free(a.web);
        return 1;
    }
    const char *permalink = getenv("NSEARCH_PERMALINK");
    if (permalink && *permalink && ns_web_set_permalink(a.web, permalink, &err) < 0) {
        /* as for the base URL: no page of links that lead nowhere */
        fprintf(stderr, "nsearch.cgi: NSEARCH_PERMALINK %s\n", err.msg);
        ns_web_free(a.web);
        return 1;
    }
    ns_xdb_opts xo = NS_XDB_OPTS_INIT;
    if (ns_shard_opts_parse(&xo, getenv("NSEARCH_SHARD_TIMEOUT"), getenv("NSEARCH_ALLOW_PARTIAL"),
                            &err) < 0) {
        /* as for the base URL: refuse to start on a setting that says nothing sure */
        fprintf(stderr, "nsearch.cgi: NSEARCH_SHARD_TIMEOUT or NSEARCH_ALLOW_PARTIAL: %s\n",
                err.msg);
        ns_web_free(a.web);
        return 1;
    }
    ns_web_set_shard_opts(a.web, &xo);
    rc = FCGX_IsCGI() ? S_cgi(&a) : S_fastcgi(&a);
    ns_web_response_clear(&a.resp);
    ns_buf_free(&a.head);
    ns_web_free(a.web);
    return rc;
}
