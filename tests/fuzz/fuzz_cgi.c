/* fuzz_cgi.c: libFuzzer harness for the web program's input: the CGI query
 * string (searcher/cgi.h: percent decoding, parameters, limits, UTF-8
 * checks) and the whole request handler (searcher/web.h) against a tiny
 * database indexed once at start, with a hostile article in it.
 * Invariants: an accepted request has valid, bounded parameters; decoding
 * what ns_cgi_encode wrote gives the value back; the answer is 200 or 400
 * (never 500: the database is fine), its body is valid UTF-8, JSON answers
 * are strict JSON, and HTML answers hold only the page's own tags, no event
 * handler attribute and no link that is not http(s) or the page itself. */
#include "cgi.h"
#include "html.h"
#include "fuzz_tempdb.h"
#include "web.h"

#include <ctype.h>
#include <strings.h>

static ns_web *W;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ns_err err;
    const char *db = fz_tempdb();
    FUZZ_ASSERT(ns_web_new(&W, db, &err) == 0);
    return 0;
}

/* The tags the search page is made of; anything else came from input. */
static int tag_allowed(const char *name, size_t n)
{
    static const char *const ok[] = {
        "!DOCTYPE", "html", "head", "meta", "title", "link", "style", "body", "header", "h1",
        "h2", "a", "form", "input", "select", "option", "button", "label", "main", "p", "ol",
        "ul", "li", "div", "span", "mark", "nav", "footer", "small", "b", "strong", "em", "time",
        "section", "aside", "br", "fieldset", "legend", "details", "summary", "abbr", "h3",
        "article", "dl", "dt", "dd", "table", "tr", "td", "th", "code", "svg", "path",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strlen(ok[i]) == n && strncasecmp(ok[i], name, n) == 0)
            return strcasecmp(name, "svg") != 0; /* never from us */
    return 0;
}

static void check_html(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '<')
            continue;
        size_t j = i + 1;
        if (j < len && s[j] == '/')
            j++;
        size_t st = j;
        while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '!'))
            j++;
        /* the page's own inline favicon is the one data: link it may have */
        int is_link = j - st == 4 && strncasecmp(s + st, "link", 4) == 0;
        if (!tag_allowed(s + st, j - st)) {
            fprintf(stderr, "unexpected tag: %.*s\n", (int)(j - i + 10 < len - i ? j - i + 10 : len - i), s + i);
            FUZZ_ASSERT(0);
        }
        /* attributes up to '>': names must not be on*, hrefs must be safe */
        while (j < len && s[j] != '>') {
            if (isspace((unsigned char)s[j])) {
                j++;
                continue;
            }
            size_t an = j;
            while (j < len && s[j] != '=' && s[j] != '>' && !isspace((unsigned char)s[j]))
                j++;
            size_t alen = j - an;
            FUZZ_ASSERT(!(alen >= 2 && strncasecmp(s + an, "on", 2) == 0));
            if (j < len && s[j] == '=') {
                j++;
                FUZZ_ASSERT(j < len && s[j] == '"'); /* the page always quotes */
                size_t vs = ++j;
                while (j < len && s[j] != '"') {
                    FUZZ_ASSERT(s[j] != '<');
                    j++;
                }
                FUZZ_ASSERT(j < len);
                if ((alen == 4 && strncasecmp(s + an, "href", 4) == 0) ||
                    (alen == 3 && strncasecmp(s + an, "src", 3) == 0) ||
                    (alen == 6 && strncasecmp(s + an, "action", 6) == 0)) {
                    const char *v = s + vs;
                    size_t vl = j - vs;
                    int safe = (vl >= 7 && strncasecmp(v, "http://", 7) == 0) ||
                               (vl >= 8 && strncasecmp(v, "https://", 8) == 0) ||
                               (vl >= 1 && (v[0] == '/' || v[0] == '?' || v[0] == '#')) || vl == 0 ||
                               (is_link && vl >= 19 && strncmp(v, "data:image/svg+xml,", 19) == 0);
                    if (!safe)
                        fprintf(stderr, "unsafe link: %.*s\n", (int)vl, v);
                    FUZZ_ASSERT(safe);
                }
                j++;
            }
        }
        i = j;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *qs = malloc(size + 1);
    FUZZ_ASSERT(qs);
    memcpy(qs, data, size);
    qs[size] = '\0';

    /* 1. the request model */
    ns_cgi_params p;
    FUZZ_ASSERT(ns_cgi_parse(&p, qs, size) == 0);
    FUZZ_ASSERT(p.q != NULL);
    if (p.bad == NS_CGI_OK) {
        FUZZ_ASSERT(strlen(p.q) <= NS_CGI_MAX_Q && ns_utf8_valid(p.q, strlen(p.q)));
        FUZZ_ASSERT(p.page >= 1 && p.page <= NS_CGI_MAX_PAGE);
        FUZZ_ASSERT(!p.month || ns_cgi_month_valid(p.month));
        FUZZ_ASSERT(!p.lang || !strcmp(p.lang, "en") || !strcmp(p.lang, "ru"));
        FUZZ_ASSERT(p.nvendors <= NS_CGI_MAX_PARAMS);
        for (size_t i = 0; i < p.nvendors; i++)
            FUZZ_ASSERT(strlen(p.vendors[i]) <= NS_CGI_MAX_VALUE &&
                        ns_utf8_valid(p.vendors[i], strlen(p.vendors[i])));
    }
    if (p.bad_value)
        FUZZ_ASSERT(fz_utf8_ok(p.bad_value, strlen(p.bad_value)));
    (void)ns_cgi_ui_lang(p.q, qs);
    ns_cgi_params_clear(&p);

    /* 2. decode / encode round trip */
    ns_buf dec = NS_BUF_INIT, enc = NS_BUF_INIT, back = NS_BUF_INIT;
    int rc = ns_cgi_decode(&dec, qs, size);
    FUZZ_ASSERT(rc == 0 || rc == NS_ESYNTAX);
    if (rc == 0 && memchr(ns_buf_cstr(&dec), '\0', dec.len) == NULL) {
        FUZZ_ASSERT(ns_cgi_encode(&enc, ns_buf_cstr(&dec)) == 0);
        FUZZ_ASSERT(ns_cgi_decode(&back, ns_buf_cstr(&enc), enc.len) == 0);
        FUZZ_ASSERT(back.len == dec.len && memcmp(ns_buf_cstr(&back), ns_buf_cstr(&dec), dec.len) == 0);
        for (size_t i = 0; i < enc.len; i++)
            FUZZ_ASSERT(strchr("&=#<>\"' ", enc.data[i]) == NULL || enc.data[i] == '\0');
        if (ns_html_url_linkable(ns_buf_cstr(&dec)))
            FUZZ_ASSERT(strncasecmp(ns_buf_cstr(&dec), "http://", 7) == 0 ||
                        strncasecmp(ns_buf_cstr(&dec), "https://", 8) == 0);
    }
    ns_buf_free(&dec);
    ns_buf_free(&enc);
    ns_buf_free(&back);

    /* 3. the whole request */
    ns_web_env env;
    memset(&env, 0, sizeof env);
    env.method = "GET";
    env.query_string = qs;
    env.accept_language = "ru, en;q=0.5";
    env.script_name = "/search";
    ns_web_response resp = NS_WEB_RESPONSE_INIT;
    FUZZ_ASSERT(ns_web_handle(W, &env, &resp) == 0);
    if (resp.status != 200 && resp.status != 400)
        fprintf(stderr, "status %d: %s\n", resp.status, ns_buf_cstr(&resp.log));
    FUZZ_ASSERT(resp.status == 200 || resp.status == 400);
    FUZZ_ASSERT(resp.content_type != NULL);
    const char *body = ns_buf_cstr(&resp.body);
    FUZZ_ASSERT(ns_utf8_valid(body, resp.body.len));
    if (strstr(resp.content_type, "json"))
        FUZZ_ASSERT(fz_json_parse(body, resp.body.len, NULL, NULL) == 0);
    else if (strstr(resp.content_type, "html"))
        check_html(body, resp.body.len);
    ns_buf hdr = NS_BUF_INIT;
    FUZZ_ASSERT(ns_web_headers(&hdr, &resp) == 0);
    /* no header injection: only the block's own CRLFs */
    for (size_t i = 0; i < hdr.len; i++)
        if (hdr.data[i] == '\n')
            FUZZ_ASSERT(i > 0 && hdr.data[i - 1] == '\r');
    ns_buf_free(&hdr);
    ns_web_response_clear(&resp);
    free(qs);
    return 0;
}
