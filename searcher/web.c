/* web.c: the search page: request -> search -> HTML, JSON or OpenSearch.
 * Every piece of text that reaches HTML goes through ns_html_escape; every
 * value that goes into a link we build is percent-encoded first and the whole
 * link is then escaped for its attribute. */
#include "web.h"

#include "escape.h"
#include "i18n.h"
#include "json.h"
#include "permalink.h"
#include "schema.h"
#include "typed.h"
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
    ns_xdb_opts xo;             /* NSEARCH_SHARD_TIMEOUT, NSEARCH_ALLOW_PARTIAL */
};

/* ---- small helpers ----------------------------------------------------------- */

static const char *S_t(const char *ui, const char *en, const char *ru)
{
    return strcmp(ui, "ru") == 0 ? ru : en;
}

static int S_esc(ns_buf *out, const char *s)
{
    return ns_html_escape(out, s, strlen(s));
}

/* The page's own path, percent-encoded where a path needs it. */
static int S_script(ns_buf *out, const char *script)
{
    static const char hex[] = "0123456789ABCDEF";
    int rc = 0;
    for (const unsigned char *c = (const unsigned char *)script; *c && rc == 0; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("-._~/", *c)) {
            rc = ns_buf_putc(out, (char)*c);
        } else {
            char e[3] = { '%', hex[*c >> 4], hex[*c & 15] };
            rc = ns_buf_append(out, e, 3);
        }
    }
    return rc;
}

/* The state a link leads to: the current request with one thing changed. */
typedef struct link_state {
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
} link_state;

static link_state S_state(const ns_cgi_params *p)
{
    link_state st = { p->q, p->vendors, p->nvendors, NULL, NULL, p->month, p->lang,
                      p->sort_by_date, p->no_cross, p->page, p->as_typed };
    return st;
}

/* One query parameter of an href, written straight into the page: the
 * percent-encoded value has no character HTML needs escaped, and the
 * separator '&' is written as "&amp;". */
static int S_param(ns_buf *out, int *first, const char *name, const char *value)
{
    int rc;
    if ((rc = ns_buf_puts(out, *first ? "?" : "&amp;")) < 0 || (rc = ns_buf_puts(out, name)) < 0 ||
        (rc = ns_buf_putc(out, '=')) < 0)
        return rc;
    *first = 0;
    return ns_cgi_encode(out, value);
}

/* Append the href value (escaped for a double-quoted attribute) for st. */
static int S_href(ns_buf *out, const char *script, const link_state *st)
{
    int rc = 0, first = 1;
    TRY(S_script(out, script));
    if (st->q && *st->q)
        TRY(S_param(out, &first, "q", st->q));
    for (size_t i = 0; i < st->nvendors; i++)
        if (!st->drop_vendor || strcasecmp(st->vendors[i], st->drop_vendor) != 0)
            TRY(S_param(out, &first, "vendor", st->vendors[i]));
    if (st->add_vendor)
        TRY(S_param(out, &first, "vendor", st->add_vendor));
    if (st->month)
        TRY(S_param(out, &first, "month", st->month));
    if (st->lang)
        TRY(S_param(out, &first, "lang", st->lang));
    if (st->sort_by_date)
        TRY(S_param(out, &first, "sort", "date"));
    if (st->no_cross)
        TRY(S_param(out, &first, "cross", "0"));
    if (st->page > 1) {
        char num[16];
        snprintf(num, sizeof num, "%u", st->page);
        TRY(S_param(out, &first, "page", num));
    }
    if (st->as_typed)
        TRY(S_param(out, &first, "as_typed", "1"));
    if (first)
        TRY(ns_buf_putc(out, '?'));     /* a bare path would also work; '?' keeps it a search */
done:
    return rc;
}

static int S_link(ns_buf *out, const char *script, const link_state *st, const char *attrs,
                  const char *text)
{
    int rc;
    TRY(ns_buf_puts(out, "<a href=\""));
    TRY(S_href(out, script, st));
    TRY(ns_buf_puts(out, "\""));
    if (attrs)
        TRY(ns_buf_puts(out, attrs));
    TRY(ns_buf_puts(out, ">"));
    TRY(S_esc(out, text));
    TRY(ns_buf_puts(out, "</a>"));
done:
    return rc;
}

static int S_is_active_vendor(const ns_cgi_params *p, const char *name)
{
    for (size_t i = 0; i < p->nvendors; i++)
        if (strcasecmp(p->vendors[i], name) == 0)
            return 1;
    return 0;
}

static int S_count_text(ns_buf *out, unsigned long n, const char *ui)
{
    if (strcmp(ui, "ru") == 0) {
        static const char *forms[] = { "результат", "результата", "результатов" };
        return ns_buf_printf(out, "%lu %s", n, forms[ns_cgi_ru_plural(n)]);
    }
    return ns_buf_printf(out, "%lu %s", n, n == 1 ? "result" : "results");
}

/* ---- page frame ----------------------------------------------------------------- */

static const char S_css[] =
    ":root{color-scheme:light dark}"
    "body{font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0 auto;"
    "max-width:62rem;padding:0 1rem 2rem;color:#1d1d1f;background:#fff}"
    "header{padding:1rem 0 .5rem;border-bottom:1px solid #e3e3e3;margin-bottom:1rem}"
    "h1{font-size:1.25rem;margin:0 0 .6rem}h1 a{color:inherit;text-decoration:none}"
    "form{display:flex;flex-wrap:wrap;gap:.3rem .5rem}form label{flex-basis:100%;font-weight:600}"
    /* the box's border: #767676 is 4.5:1 on white (3:1 is the least for a control) */
    "input[type=search]{flex:1;min-width:0;font-size:1.05rem;padding:.45rem .6rem;"
    "border:1px solid #767676;border-radius:6px;color:inherit;background:inherit}"
    "button{font-size:1rem;padding:.45rem 1.1rem;border:0;border-radius:6px;background:#1a5fb4;"
    "color:#fff;cursor:pointer}"
    ".wrap{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}"
    "main{flex:1 1 30rem;min-width:0}aside{flex:0 1 15rem;font-size:.95rem;order:2}"
    "aside h2{font-size:1rem;margin:.2rem 0 .3rem}ul.facet{list-style:none;padding:0;margin:0 0 1rem}"
    "ul.facet li{display:flex;justify-content:space-between;gap:.5rem}"
    /* tap targets of 24 px at least (WCAG 2.5.8) */
    "ul.facet a,ul.tags a,.examples a{display:inline-block;min-height:24px;padding:.1rem 0}"
    "aside .on a{font-weight:bold}.n{color:#595959}"
    /* phones: one "Filters" control (a checkbox and its label: no script, and
     * unlike a closed <details> a sidebar on wide screens without a second copy) */
    ".ftoggle{position:absolute;opacity:0;width:1px;height:1px}.fbtn{display:none}"
    "@media(min-width:40.01rem){.ftoggle{display:none}}"
    ".count{color:#444;margin:.2rem 0 1rem}.sort{white-space:nowrap}"
    ".notice{background:#fff6d5;color:#1d1d1f;padding:.5rem .7rem;border-radius:6px}"
    ".error{background:#fde7e9;color:#1d1d1f;padding:.7rem .9rem;border-radius:6px}"
    ".notice a,.error a{color:#0b4a9e}"
    ".filters{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:0 0 .5rem}"
    ".filter{background:#e8f0fb;color:#1d1d1f;border-radius:1rem;padding:.1rem .2rem .1rem .7rem;"
    "display:inline-flex;align-items:center}"
    ".filter a{text-decoration:none;font-weight:bold;min-width:24px;min-height:24px;"
    "display:inline-flex;align-items:center;justify-content:center;color:#0b4a9e}"
    "ol.hits{list-style:none;padding:0;margin:0}.hit{margin:0 0 1.4rem}"
    ".hit h2{font-size:1.1rem;margin:0;line-height:1.3}"
    ".meta{color:#555;font-size:.88rem;margin:.15rem 0}.vendor+.vendor:before{content:\", \"}"
    ".partial{font-style:italic}"
    ".lang{font-size:.75rem;font-weight:600;border:1px solid #767676;border-radius:3px;"
    "padding:0 .25rem}.sr{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}"
    ".snippet{margin:.2rem 0}mark{background:#ffe066;color:#1d1d1f;padding:0 .1em;border-radius:2px}"
    ".browse h2{font-size:1.05rem;margin:1.2rem 0 .4rem}ul.recent{padding-left:1.2rem}"
    "ul.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}"
    "nav.pages{display:flex;flex-wrap:wrap;gap:.3rem;margin-top:1.5rem}"
    "nav.pages a,nav.pages strong,nav.pages span{padding:.2rem .6rem;border-radius:4px}"
    "nav.pages a{background:#eef2f7;text-decoration:none}"
    "a{color:#1a5fb4}"
    "@media(max-width:40rem){aside{flex-basis:100%;order:0}.wrap{gap:.5rem}"
    ".fbtn{display:inline-block;min-height:24px;padding:.3rem .8rem;border:1px solid #767676;"
    "border-radius:6px;font-weight:600;cursor:pointer}.fbtn:before{content:\"\\25B8  \"}"
    ".ftoggle:checked+.fbtn:before{content:\"\\25BE  \"}.ftoggle:not(:checked)~.fbody{display:none}"
    ".ftoggle:focus-visible+.fbtn{outline:2px solid #1a5fb4;outline-offset:2px}"
    "body{padding:0 .7rem 2rem}}"
    "@media(prefers-color-scheme:dark){body{color:#e6e6e6;background:#16181c}"
    "header{border-color:#3a3d42}a{color:#8ab4f8}.n,.count,.meta{color:#b4b4b4}"
    "input[type=search]{border-color:#9a9a9a}nav.pages a{background:#262a31}"
    "button{background:#3d7be0}}";

static int S_head(ns_buf *out, const char *ui, const char *script, const char *q)
{
    int rc;
    const char *site = S_t(ui, "ML news search", "Поиск по новостям ML");
    TRY(ns_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                           "<title>", ui));
    if (q && *q) {
        TRY(S_esc(out, q));
        TRY(ns_buf_puts(out, " — "));
    }
    TRY(S_esc(out, site));
    TRY(ns_buf_puts(out, "</title>\n<link rel=\"search\" type=\"application/opensearchdescription+xml\" "
                         "title=\""));
    TRY(S_esc(out, site));
    TRY(ns_buf_puts(out, "\" href=\""));
    TRY(S_script(out, script));
    /* an inline icon: no second request, and nothing for a server to serve */
    TRY(ns_buf_puts(out, "?opensearch=1\">\n<link rel=\"icon\" href=\"data:image/svg+xml,"
                         "%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
                         "%3Ccircle cx='6.5' cy='6.5' r='4.5' fill='none' stroke='%231a5fb4' "
                         "stroke-width='2'/%3E%3Cpath d='M10 10l4.5 4.5' stroke='%231a5fb4' "
                         "stroke-width='2.5'/%3E%3C/svg%3E\">\n<style>"));
    TRY(ns_buf_puts(out, S_css));
    TRY(ns_buf_puts(out, "</style>\n</head>\n<body>\n"));
done:
    return rc;
}

/* The header with the search form; p may be NULL (error pages). focus: the
 * landing page, where typing is the one thing to do. */
static int S_form(ns_buf *out, const char *ui, const char *script, const ns_cgi_params *p,
                  int focus)
{
    int rc;
    TRY(ns_buf_puts(out, "<header>\n<h1><a href=\""));
    TRY(S_script(out, script));
    TRY(ns_buf_puts(out, "\">"));
    TRY(S_esc(out, S_t(ui, "ML news search", "Поиск по новостям ML")));
    TRY(ns_buf_puts(out, "</a></h1>\n<form method=\"get\" action=\""));
    TRY(S_script(out, script));
    TRY(ns_buf_puts(out, "\" role=\"search\">\n<label for=\"q\">"));
    TRY(S_esc(out, S_t(ui, "Search the archive of ML news", "Поиск по архиву новостей ML")));
    TRY(ns_buf_puts(out, "</label>\n<input type=\"search\" name=\"q\" id=\"q\" value=\""));
    if (p)
        TRY(S_esc(out, p->q));
    TRY(ns_buf_printf(out, "\" maxlength=\"%d\"%s>\n", NS_CGI_MAX_Q, focus ? " autofocus" : ""));
    /* filters stay when the query changes; the page does not */
    if (p) {
        for (size_t i = 0; i < p->nvendors; i++) {
            TRY(ns_buf_puts(out, "<input type=\"hidden\" name=\"vendor\" value=\""));
            TRY(S_esc(out, p->vendors[i]));
            TRY(ns_buf_puts(out, "\">\n"));
        }
        if (p->month) {
            TRY(ns_buf_puts(out, "<input type=\"hidden\" name=\"month\" value=\""));
            TRY(S_esc(out, p->month));
            TRY(ns_buf_puts(out, "\">\n"));
        }
        if (p->lang)
            TRY(ns_buf_printf(out, "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n", p->lang));
        if (p->sort_by_date)
            TRY(ns_buf_puts(out, "<input type=\"hidden\" name=\"sort\" value=\"date\">\n"));
        if (p->no_cross)
            TRY(ns_buf_puts(out, "<input type=\"hidden\" name=\"cross\" value=\"0\">\n"));
    }
    TRY(ns_buf_puts(out, "<button type=\"submit\" id=\"go\">"));
    TRY(S_esc(out, S_t(ui, "Search", "Найти")));
    TRY(ns_buf_puts(out, "</button>\n</form>\n</header>\n"));
done:
    return rc;
}

static int S_message_page(ns_buf *out, const char *ui, const char *script, const ns_cgi_params *p,
                          const char *heading, const char *html_message)
{
    int rc;
    TRY(S_head(out, ui, script, NULL));
    TRY(S_form(out, ui, script, p, 0));
    TRY(ns_buf_puts(out, "<main>\n<div class=\"error\" id=\"error\">\n<h2>"));
    TRY(S_esc(out, heading));
    TRY(ns_buf_puts(out, "</h2>\n<p>"));
    TRY(ns_buf_puts(out, html_message));
    TRY(ns_buf_puts(out, "</p>\n</div>\n</main>\n</body>\n</html>\n"));
done:
    return rc;
}

/* ---- results page ------------------------------------------------------------------ */

/* The page's name of a filter value: a vendor by the interface's name for it,
 * a month in words, a language by its own name. */
static int S_filter_text(ns_buf *out, const ns_web_page *pg, char kind, const char *value)
{
    if (kind == 'v')
        return ns_buf_puts(out, ns_vendor_names_show(pg->vendor_names, value, pg->ui));
    if (kind == 'm')
        return ns_i18n_month(out, value, pg->ui);
    return ns_buf_puts(out, ns_i18n_lang_name(value));
}

/* One active filter: its name, and a button (a link to the same search
 * without it) that says which filter it removes. */
static int S_filter_chip(ns_buf *out, const ns_web_page *pg, const link_state *without, char kind,
                         const char *value)
{
    int rc;
    ns_buf text = NS_BUF_INIT, attrs = NS_BUF_INIT;
    TRY(S_filter_text(&text, pg, kind, value));
    TRY(ns_buf_puts(&attrs, " class=\"rm\" aria-label=\""));
    TRY(S_esc(&attrs, S_t(pg->ui, "Remove filter: ", "Убрать фильтр: ")));
    TRY(ns_html_escape(&attrs, text.data, text.len));
    TRY(ns_buf_puts(&attrs, "\" title=\""));
    TRY(S_esc(&attrs, S_t(pg->ui, "Remove filter", "Убрать фильтр")));
    TRY(ns_buf_puts(&attrs, "\""));
    TRY(ns_buf_puts(out, "\n<span class=\"filter\""));
    if (kind == 'l')
        TRY(ns_buf_printf(out, " lang=\"%s\"", strcmp(value, "ru") == 0 ? "ru" : "en"));
    TRY(ns_buf_puts(out, ">"));
    TRY(ns_html_escape(out, text.data, text.len));
    TRY(S_link(out, pg->script, without, ns_buf_cstr(&attrs), "×"));
    TRY(ns_buf_puts(out, "</span>"));
done:
    ns_buf_free(&text);
    ns_buf_free(&attrs);
    return rc;
}

/* The filter typed in the box that selects this facet entry, or NULL. */
static const ns_typed_filter *S_typed(const ns_web_page *pg, char kind, const char *name)
{
    for (size_t i = 0; i < pg->ntyped; i++) {
        const ns_typed_filter *f = &pg->typed[i];
        if (f->kind == kind && (kind == 'v' ? strcasecmp(f->value, name) == 0
                                            : strcmp(f->value, name) == 0))
            return f;
    }
    return NULL;
}

/* The same search without a typed filter: into st, its query kept in q. */
static int S_without_typed(link_state *st, ns_buf *q, const ns_cgi_params *p,
                           const ns_typed_filter *f)
{
    *st = S_state(p);
    st->page = 1;
    ns_buf_reset(q);
    int rc = ns_typed_without(q, p->q, f);
    st->q = ns_buf_cstr(q);
    return rc;
}

static int S_filters(ns_buf *out, const ns_cgi_params *p, const ns_web_page *pg)
{
    int rc = 0;
    ns_buf q = NS_BUF_INIT;
    if (p->nvendors == 0 && !p->month && !p->lang && pg->ntyped == 0)
        return 0;
    TRY(ns_buf_puts(out, "<div class=\"filters\" id=\"filters\">"));
    TRY(S_esc(out, S_t(pg->ui, "Filters:", "Фильтры:")));
    for (size_t i = 0; i < p->nvendors; i++) {
        link_state st = S_state(p);
        st.drop_vendor = p->vendors[i];
        st.page = 1;
        TRY(S_filter_chip(out, pg, &st, 'v', p->vendors[i]));
    }
    if (p->month) {
        link_state st = S_state(p);
        st.month = NULL;
        st.page = 1;
        TRY(S_filter_chip(out, pg, &st, 'm', p->month));
    }
    if (p->lang) {
        link_state st = S_state(p);
        st.lang = NULL;
        st.page = 1;
        TRY(S_filter_chip(out, pg, &st, 'l', p->lang));
    }
    /* typed in the box: removing one takes it out of the query */
    for (size_t i = 0; i < pg->ntyped; i++) {
        link_state st;
        TRY(S_without_typed(&st, &q, p, &pg->typed[i]));
        TRY(S_filter_chip(out, pg, &st, pg->typed[i].kind, pg->typed[i].value));
    }
    TRY(ns_buf_puts(out, "\n</div>\n"));
done:
    ns_buf_free(&q);
    return rc;
}

static int S_pages(ns_buf *out, const ns_cgi_params *p, const ns_results *r, const char *script,
                   const char *ui)
{
    int rc = 0;
    unsigned long npages = ((unsigned long)r->total + NS_CGI_PAGE_SIZE - 1) / NS_CGI_PAGE_SIZE;
    if (npages > NS_CGI_MAX_PAGE)
        npages = NS_CGI_MAX_PAGE;
    if (npages <= 1)
        return 0;
    unsigned cur = p->page;
    link_state st = S_state(p);
    TRY(ns_buf_puts(out, "<nav class=\"pages\" id=\"pages\" aria-label=\""));
    TRY(S_esc(out, S_t(ui, "Pages", "Страницы")));
    TRY(ns_buf_puts(out, "\">\n"));
    if (cur > 1 && cur - 1 <= npages) {
        st.page = cur - 1;
        TRY(S_link(out, script, &st, " rel=\"prev\"", S_t(ui, "← Previous", "← Назад")));
        TRY(ns_buf_putc(out, '\n'));
    }
    int gap = 0;
    for (unsigned i = 1; i <= npages; i++) {
        if (i != 1 && i != npages && (i + 2 < cur || i > cur + 2)) {
            if (!gap)
                TRY(ns_buf_puts(out, "<span>…</span>\n"));
            gap = 1;
            continue;
        }
        gap = 0;
        char num[16];
        snprintf(num, sizeof num, "%u", i);
        if (i == cur) {
            TRY(ns_buf_printf(out, "<strong aria-current=\"page\">%s</strong>\n", num));
        } else {
            st.page = i;
            TRY(S_link(out, script, &st, NULL, num));
            TRY(ns_buf_putc(out, '\n'));
        }
    }
    if (cur < npages) {
        st.page = cur + 1;
        TRY(S_link(out, script, &st, " rel=\"next\"", S_t(ui, "Next →", "Вперёд →")));
        TRY(ns_buf_putc(out, '\n'));
    }
    TRY(ns_buf_puts(out, "</nav>\n"));
done:
    return rc;
}

/* One facet entry: a link that adds its filter, or, when it is on (chosen by
 * a link or typed in the box), removes it; the chosen one is aria-current. */
static int S_facet_entry(ns_buf *out, const ns_cgi_params *p, const ns_web_page *pg, char kind,
                         const ns_facet_count *f)
{
    int rc = 0;
    ns_buf text = NS_BUF_INIT, q = NS_BUF_INIT;
    const ns_typed_filter *typed = S_typed(pg, kind, f->name);
    int param = kind == 'v'   ? S_is_active_vendor(p, f->name)
                : kind == 'm' ? p->month && strcmp(p->month, f->name) == 0
                              : p->lang && strcmp(p->lang, f->name) == 0;
    int on = param || typed;
    link_state st = S_state(p);
    st.page = 1;
    if (!param && typed) {
        TRY(S_without_typed(&st, &q, p, typed));
    } else if (kind == 'v') {
        if (on)
            st.drop_vendor = f->name;
        else
            st.add_vendor = f->name;
    } else if (kind == 'm') {
        st.month = on ? NULL : f->name;
    } else {
        st.lang = on ? NULL : f->name;
    }
    TRY(S_filter_text(&text, pg, kind, f->name));
    TRY(ns_buf_puts(out, on ? "<li class=\"on\">" : "<li>"));
    const char *attrs = on ? (kind == 'l' ? (strcmp(f->name, "ru") == 0
                                                  ? " class=\"rm\" aria-current=\"true\" lang=\"ru\""
                                                  : " class=\"rm\" aria-current=\"true\" lang=\"en\"")
                                          : " class=\"rm\" aria-current=\"true\"")
                           : (kind == 'l' ? (strcmp(f->name, "ru") == 0 ? " lang=\"ru\"" : " lang=\"en\"")
                                          : NULL);
    TRY(S_link(out, pg->script, &st, attrs, ns_buf_cstr(&text)));
    TRY(ns_buf_printf(out, " <span class=\"n\">%u</span></li>\n", f->count));
done:
    ns_buf_free(&text);
    ns_buf_free(&q);
    return rc;
}

/* hint: a line under the heading, or NULL */
static int S_facet_list(ns_buf *out, const ns_cgi_params *p, const ns_web_page *pg, char kind,
                        const char *id, const char *heading, const char *hint,
                        const ns_facet_count *f, size_t n)
{
    int rc = 0;
    if (n == 0)
        return 0;
    TRY(ns_buf_puts(out, "<h2>"));
    TRY(S_esc(out, heading));
    TRY(ns_buf_puts(out, "</h2>\n"));
    if (hint) {
        TRY(ns_buf_printf(out, "<p class=\"hint\" id=\"%s-or\">", id));
        TRY(S_esc(out, hint));
        TRY(ns_buf_puts(out, "</p>\n"));
    }
    TRY(ns_buf_printf(out, "<ul class=\"facet\" id=\"%s\">\n", id));
    for (size_t i = 0; i < n; i++)
        TRY(S_facet_entry(out, p, pg, kind, &f[i]));
    TRY(ns_buf_puts(out, "</ul>\n"));
done:
    return rc;
}

static int S_facets(ns_buf *out, const ns_cgi_params *p, const ns_results *r,
                    const ns_web_page *pg)
{
    int rc = 0;
    const char *ui = pg->ui;
    if (r->nlang_facets + r->nvendor_facets + r->nmonth_facets == 0)
        return 0; /* no empty landmark */
    /* open on a phone too when a filter is on: the reader is using them */
    int any = p->nvendors || p->month || p->lang || pg->ntyped;
    TRY(ns_buf_printf(out, "<aside aria-labelledby=\"fbox-h\">\n<input type=\"checkbox\" "
                           "class=\"ftoggle\" id=\"fbox\"%s><label for=\"fbox\" class=\"fbtn\" "
                           "id=\"fbox-h\">", any ? " checked" : ""));
    TRY(S_esc(out, S_t(ui, "Filters", "Фильтры")));
    TRY(ns_buf_puts(out, "</label>\n<div class=\"fbody\">\n"));
    TRY(S_facet_list(out, p, pg, 'l', "facet-lang", S_t(ui, "Language", "Язык"), NULL,
                     r->lang_facets, r->nlang_facets));
    /* vendor counts made without the vendor filter: each is what choosing it
     * would give, and choosing it adds it (OR) */
    TRY(S_facet_list(out, p, pg, 'v', "facet-vendor", S_t(ui, "Vendors", "Компании"),
                     r->vendor_disjunctive
                         ? S_t(ui, "Pick more to see articles of any of them.",
                               "Выберите ещё, чтобы видеть статьи любой из них.")
                         : NULL,
                     r->vendor_facets, r->nvendor_facets));
    TRY(S_facet_list(out, p, pg, 'm', "facet-month", S_t(ui, "Months", "Месяцы"), NULL,
                     r->month_facets, r->nmonth_facets));
    TRY(ns_buf_puts(out, "</div>\n</aside>\n"));
done:
    return rc;
}

int ns_web_render_results(ns_buf *out, const ns_cgi_params *p, const ns_results *r,
                          const char *script, const char *ui)
{
    ns_web_page pg = { script, ui, NULL, NULL, NULL, 0, NULL };
    return ns_web_render_page(out, p, r, &pg);
}

int ns_web_render_page(ns_buf *out, const ns_cgi_params *p, const ns_results *r,
                       const ns_web_page *pg)
{
    int rc;
    const char *script = pg->script, *ui = pg->ui;
    TRY(S_head(out, ui, script, p->q));
    TRY(S_form(out, ui, script, p, 0));
    /* the filters come first: on a phone they are one "Filters" control above
     * the results; on a wider screen a sidebar on the right (CSS order) */
    TRY(ns_buf_puts(out, "<div class=\"wrap\">\n"));
    TRY(S_facets(out, p, r, pg));
    TRY(ns_buf_puts(out, "<main>\n"));
    TRY(S_filters(out, p, pg));

    /* count and sort order */
    TRY(ns_buf_puts(out, "<p class=\"count\" id=\"count\">"));
    if (r->offset > 0 && r->nhits > 0) {  /* "11–20 of 35 results", "11–20 из 35 результатов" */
        unsigned n = r->total;
        TRY(ns_buf_printf(out, "%u–%u ", r->offset + 1, r->offset + (unsigned)r->nhits));
        if (strcmp(ui, "ru") == 0) /* genitive after «из»: из 21 результата, из 35 результатов */
            TRY(ns_buf_printf(out, "из %u %s", n,
                              n % 10 == 1 && n % 100 != 11 ? "результата" : "результатов"));
        else
            TRY(ns_buf_printf(out, "of %u results", n));
    } else {
        TRY(S_count_text(out, r->total, ui));
    }
    if (r->total_all > 0 && r->total_all < r->total)
        TRY(strcmp(ui, "ru") == 0 ? ns_buf_printf(out, " (все слова — в %u)", r->total_all)
                                  : ns_buf_printf(out, " (%u with every word)", r->total_all));
    if (r->total > 1) {
        link_state st = S_state(p);
        st.page = 1;
        TRY(ns_buf_puts(out, " · <span class=\"sort\">"));
        TRY(S_esc(out, S_t(ui, "sort by ", "сортировка: ")));
        const char *rel = S_t(ui, "relevance", "по релевантности");
        const char *date = S_t(ui, "date", "по дате");
        if (p->sort_by_date) {
            st.sort_by_date = 0;
            TRY(S_link(out, script, &st, NULL, rel));
            TRY(ns_buf_puts(out, " | <strong>"));
            TRY(S_esc(out, date));
            TRY(ns_buf_puts(out, "</strong>"));
        } else {
            st.sort_by_date = 1;
            TRY(ns_buf_puts(out, "<strong>"));
            TRY(S_esc(out, rel));
            TRY(ns_buf_puts(out, "</strong> | "));
            TRY(S_link(out, script, &st, NULL, date));
        }
        TRY(ns_buf_puts(out, "</span>"));
    }
    TRY(ns_buf_puts(out, "</p>\n"));

    if (r->suggestion && *r->suggestion && r->showing_suggestion) {
        /* the query found nothing: these are the suggestion's results */
        link_state st = S_state(p);
        st.page = 1;
        st.as_typed = 1;
        TRY(ns_buf_printf(out, "<p class=\"notice\" id=\"suggestion\" data-showing=\"1\"%s>",
                          r->layout ? " data-layout=\"1\"" : ""));
        if (r->layout)
            TRY(S_esc(out, S_t(ui, "The query looks typed in the other keyboard layout. ",
                               "Похоже, запрос набран не в той раскладке. ")));
        TRY(S_esc(out, S_t(ui, "Showing results for ", "Показаны результаты для ")));
        TRY(ns_buf_puts(out, "<strong>"));
        TRY(S_esc(out, r->suggestion));
        TRY(ns_buf_puts(out, "</strong>; "));
        TRY(S_esc(out, S_t(ui, "search instead for ", "искать вместо этого ")));
        TRY(S_link(out, script, &st, NULL, p->q));
        TRY(ns_buf_puts(out, "</p>\n"));
    } else if (r->suggestion && *r->suggestion) {
        link_state st = S_state(p);
        st.q = r->suggestion;
        st.page = 1;
        st.as_typed = 0;
        TRY(ns_buf_printf(out, "<p class=\"notice\" id=\"suggestion\"%s>",
                          r->layout ? " data-layout=\"1\"" : ""));
        TRY(S_esc(out, r->layout ? S_t(ui, "Did you mean (keyboard layout): ",
                                       "Возможно, вы имели в виду (раскладка): ")
                                 : S_t(ui, "Did you mean: ", "Возможно, вы имели в виду: ")));
        TRY(S_link(out, script, &st, NULL, r->suggestion));
        TRY(ns_buf_puts(out, "?</p>\n"));
    }
    if (r->missing_shards) {
        TRY(ns_buf_puts(out, "<p class=\"notice\" id=\"partial\">"));
        TRY(S_esc(out, S_t(ui, "Part of the archive did not answer; these results are without "
                               "it (shards: ",
                           "Часть архива не ответила; результаты без неё (шарды: ")));
        TRY(S_esc(out, r->missing_shards));
        TRY(ns_buf_puts(out, ").</p>\n"));
    }
    if (r->relaxed && r->nhits > 0) {
        TRY(ns_buf_puts(out, "<p class=\"notice\" id=\"relaxed\">"));
        TRY(S_esc(out, S_t(ui, "No article contains all of the words; showing articles that "
                               "contain some of them.",
                           "Нет статей, где есть все слова запроса; показаны статьи, где есть "
                           "некоторые из них.")));
        TRY(ns_buf_puts(out, "</p>\n"));
    }
    if (r->total == 0) {
        TRY(ns_buf_puts(out, "<p class=\"notice\" id=\"noresults\">"));
        if (p->q && *p->q) {
            TRY(S_esc(out, S_t(ui, "Nothing was found for “", "По запросу «")));
            TRY(S_esc(out, p->q));
            TRY(S_esc(out, S_t(ui, "”.", "» ничего не найдено.")));
        } else {
            TRY(S_esc(out, S_t(ui, "Nothing was found.", "Ничего не найдено.")));
        }
        if (p->nvendors || p->month || p->lang)
            TRY(S_esc(out, S_t(ui, " Try removing a filter.", " Попробуйте убрать фильтр.")));
        else
            TRY(S_esc(out, S_t(ui, " Try other or fewer words.",
                               " Попробуйте другие слова или меньше слов.")));
        TRY(ns_buf_puts(out, "</p>\n"));
    } else if (r->nhits == 0) {
        link_state st = S_state(p);
        st.page = 1;
        TRY(ns_buf_puts(out, "<p class=\"notice\" id=\"noresults\">"));
        TRY(S_esc(out, S_t(ui, "This page is past the last result. ",
                           "Эта страница после последнего результата. ")));
        TRY(S_link(out, script, &st, NULL, S_t(ui, "First page", "Первая страница")));
        TRY(ns_buf_puts(out, "</p>\n"));
    }
    if (r->nhits > 0) {
        TRY(ns_buf_printf(out, "<ol class=\"hits\" id=\"hits\" start=\"%u\">\n", r->hits[0].rank));
        for (size_t i = 0; i < r->nhits; i++)
            TRY(ns_web_hit(out, &r->hits[i], pg));
        TRY(ns_buf_puts(out, "</ol>\n"));
    }
    TRY(S_pages(out, p, r, script, ui));
    if (r->total == 0)
        TRY(ns_web_browse(out, pg));
    TRY(ns_buf_puts(out, "</main>\n</div>\n</body>\n</html>\n"));
done:
    return rc;
}

/* ---- responses ----------------------------------------------------------------------- */

static const char S_html[] = "text/html; charset=utf-8";
static const char S_json[] = "application/json; charset=utf-8";

static int S_landing(ns_web_response *resp, const ns_web_page *pg, const ns_cgi_params *p)
{
    int rc;
    const char *ui = pg->ui, *script = pg->script;
    ns_buf *out = &resp->body;
    /* what a reader may type, each a link that runs it */
    static const char *const en_examples[] = { "GPT-3", "\"language model\"", "vendor:DeepMind",
                                               "speech OR audio", "transformer month:2020-10" };
    static const char *const ru_examples[] = { "нейросеть", "\"языковая модель\"", "vendor:Яндекс",
                                               "трансформер", "GPT-3 lang:ru" };
    const char *const *ex = strcmp(ui, "ru") == 0 ? ru_examples : en_examples;
    resp->status = 200;
    resp->content_type = S_html;
    resp->cache_control = "public, max-age=60";
    TRY(S_head(out, ui, script, NULL));
    TRY(S_form(out, ui, script, p, 1));
    TRY(ns_buf_puts(out, "<main>\n<p class=\"count\">"));
    TRY(S_esc(out, S_t(ui, "Search the archive of machine-learning news in English and Russian: "
                           "words, \"phrases\", -exclusions, OR, prefix*, and filters such as "
                           "vendor:OpenAI or month:2020-10.",
                       "Поиск по архиву новостей машинного обучения на русском и английском: "
                       "слова, \"фразы\", -исключения, OR, префикс*, фильтры вроде vendor:Яндекс "
                       "или month:2020-10.")));
    TRY(ns_buf_puts(out, "</p>\n<p class=\"examples\" id=\"examples\">"));
    TRY(S_esc(out, S_t(ui, "Try: ", "Например: ")));
    for (size_t i = 0; i < 5; i++) {
        link_state st = { .q = ex[i], .page = 1 };
        if (i)
            TRY(ns_buf_puts(out, " · "));
        TRY(S_link(out, script, &st, NULL, ex[i]));
    }
    TRY(ns_buf_puts(out, "</p>\n"));
    TRY(ns_web_browse(out, pg));
    TRY(ns_buf_puts(out, "</main>\n</body>\n</html>\n"));
done:
    return rc;
}

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
    TRY(S_esc(&msg, text));
    TRY(S_message_page(&resp->body, ui, script, p, S_t(ui, "Bad request", "Неверный запрос"),
                       ns_buf_cstr(&msg)));
done:
    ns_buf_free(&msg);
    return rc;
}

static int S_bad_params(ns_web_response *resp, const char *ui, const char *script,
                        const ns_cgi_params *p)
{
    int rc;
    const char *fmt = NULL;
    int ru = strcmp(ui, "ru") == 0;
    switch (p->bad) {
    case NS_CGI_BAD_QS_LONG:
        fmt = ru ? "Запрос слишком длинный (больше 4096 байт)."
                 : "The request is too long (more than 4096 bytes).";
        break;
    case NS_CGI_BAD_TOO_MANY:
        fmt = ru ? "В запросе слишком много параметров (больше 32)."
                 : "The request has too many parameters (more than 32).";
        break;
    case NS_CGI_BAD_ESCAPE:
        fmt = ru ? "В запросе неверная %-кодировка (например, %zz)."
                 : "The request contains an invalid percent-encoding (such as %zz).";
        break;
    case NS_CGI_BAD_UTF8:
        fmt = ru ? "Запрос не является корректным текстом в UTF-8."
                 : "The request is not valid UTF-8 text.";
        break;
    case NS_CGI_BAD_Q_LONG:
        fmt = ru ? "Поисковый запрос слишком длинный (больше 512 символов)."
                 : "The search query is too long (more than 512 characters).";
        break;
    case NS_CGI_BAD_VALUE_LONG:
        fmt = ru ? "Значение параметра слишком длинное (больше 128 байт)."
                 : "A parameter value is too long (more than 128 bytes).";
        break;
    case NS_CGI_BAD_MONTH:
        fmt = ru ? "Месяц «%s» должен быть в виде ГГГГ-ММ или ГГГГ-ММ..ГГГГ-ММ."
                 : "Month “%s” must be YYYY-MM or YYYY-MM..YYYY-MM.";
        break;
    case NS_CGI_BAD_LANG:
        fmt = ru ? "Язык «%s» должен быть en или ru." : "Language “%s” must be en or ru.";
        break;
    case NS_CGI_BAD_CROSS:
        fmt = ru ? "Параметр cross «%s» должен быть 0 или 1." : "Cross “%s” must be 0 or 1.";
        break;
    case NS_CGI_BAD_SORT:
        fmt = ru ? "Сортировка «%s» должна быть relevance или date."
                 : "Sort order “%s” must be relevance or date.";
        break;
    case NS_CGI_BAD_PAGE:
        fmt = ru ? "Страница «%s» должна быть числом от 1 до 100."
                 : "Page “%s” must be a number from 1 to 100.";
        break;
    case NS_CGI_BAD_FORMAT:
        fmt = ru ? "Формат «%s» должен быть html или json." : "Format “%s” must be html or json.";
        break;
    case NS_CGI_OK:
        fmt = "?";
        break;
    }
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

static int S_unavailable(ns_web_response *resp, const char *ui, const char *script,
                         const ns_cgi_params *p)
{
    int rc;
    ns_buf msg = NS_BUF_INIT;
    const char *text = S_t(ui, "Search is temporarily unavailable. Please try again later.",
                           "Поиск временно недоступен. Попробуйте позже.");
    resp->status = 500;
    resp->cache_control = "no-store";
    if (p && p->json) {
        resp->content_type = S_json;
        TRY(ns_json_error(&resp->body, p->q, strlen(p->q),
                          "search is temporarily unavailable"));
        TRY(ns_buf_putc(&resp->body, '\n'));
        goto done;
    }
    resp->content_type = S_html;
    TRY(S_esc(&msg, text));
    TRY(S_message_page(&resp->body, ui, script, p,
                       S_t(ui, "Search is unavailable", "Поиск недоступен"), ns_buf_cstr(&msg)));
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
    TRY(S_script(&base, env->script_name ? env->script_name : ""));

    resp->status = 200;
    resp->content_type = "application/opensearchdescription+xml; charset=utf-8";
    resp->cache_control = "public, max-age=3600";
    TRY(ns_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
                         "<ShortName>"));
    TRY(S_esc(out, S_t(ui, "ML news", "Новости ML")));
    TRY(ns_buf_puts(out, "</ShortName>\n<Description>"));
    TRY(S_esc(out, S_t(ui, "Search the archive of machine-learning news",
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
static ns_results *S_recent(ns_web *w, const char *ui)
{
    ns_err err;
    ns_results *r = NULL;
    if (!w->searcher && ns_searcher_open_opts(&w->searcher, w->dbpath, &w->xo, &err) < 0) {
        w->searcher = NULL;
        return NULL;
    }
    ns_search_opts opts = NS_SEARCH_OPTS_INIT;
    opts.lang = ui;
    opts.sort_by_date = 1;
    opts.limit = 5;
    opts.facets = 1;
    opts.snippet_chars = 1;
    if (ns_search(w->searcher, "", 0, &opts, &r, &err) < 0)
        return NULL;
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
        ns_buf msg = NS_BUF_INIT;
        resp->status = 405;
        resp->allow = 1;
        resp->cache_control = "no-store";
        resp->content_type = S_html;
        rc = S_esc(&msg, S_t(ui, "This page answers GET and HEAD requests only.",
                             "Эта страница отвечает только на запросы GET и HEAD."));
        if (rc == 0)
            rc = S_message_page(&resp->body, ui, script, NULL,
                                S_t(ui, "Method not allowed", "Метод не поддерживается"),
                                ns_buf_cstr(&msg));
        ns_buf_free(&msg);
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
        ns_results *recent = S_recent(w, ui);
        ns_web_page pg = { script, ui, w->permalink, w->vendor_names, NULL, 0, recent };
        rc = S_landing(resp, &pg, &p);
        ns_results_free(recent);
        goto done;
    }

    if (!w->searcher && (rc = ns_searcher_open_opts(&w->searcher, w->dbpath, &w->xo, &err)) < 0) {
        int why = rc;
        w->searcher = NULL;
        TRY(ns_buf_printf(&resp->log, "nsearch.cgi: cannot open database %s: %s", w->dbpath,
                          err.msg));
        TRY(S_unavailable(resp, ui, script, &p));
        if (why == NS_ESHARD)
            resp->status = 503; /* a shard is down: another try may find it back */
        goto done;
    }
    TRY(S_canonical_vendors(w->searcher, &p));

    ns_search_opts opts = NS_SEARCH_OPTS_INIT;
    opts.vendors = (const char *const *)p.vendors;
    opts.nvendors = p.nvendors;
    opts.month = p.month;
    opts.lang = p.lang;
    opts.offset = (p.page - 1) * NS_CGI_PAGE_SIZE;
    opts.limit = NS_CGI_PAGE_SIZE;
    opts.sort_by_date = p.sort_by_date;
    opts.as_typed = p.as_typed;
    opts.cross = !p.no_cross;
    opts.facets = 1;
    opts.max_wildcard = WEB_MAX_WILDCARD;
    rc = ns_search(w->searcher, p.q, strlen(p.q), &opts, &r, &err);
    if (rc == NS_ESYNTAX || rc == NS_EINVAL || rc == NS_ETOOBIG || rc == NS_ETERM ||
        rc == NS_EUTF8) {
        ns_buf text = NS_BUF_INIT;
        rc = ns_buf_puts(&text, S_t(ui, "The query could not be understood: ",
                                    "Не удалось разобрать запрос: "));
        if (rc == 0)
            rc = ns_buf_puts(&text, err.msg);
        if (rc == 0)
            rc = S_bad_request(resp, ui, script, &p, ns_buf_cstr(&text));
        ns_buf_free(&text);
        goto done;
    }
    if (rc < 0) {
        TRY(ns_buf_printf(&resp->log, "nsearch.cgi: search failed in %s: %s (%s)", w->dbpath,
                          err.msg, ns_strerror(rc)));
        /* start afresh next time: the database may have been replaced or repaired */
        int why = rc;
        ns_searcher_close(w->searcher);
        w->searcher = NULL;
        TRY(S_unavailable(resp, ui, script, &p));
        if (why == NS_ESHARD)
            resp->status = 503; /* a shard is down: another try may find it back */
        goto done;
    }

    resp->status = 200;
    resp->cache_control = "public, max-age=60";
    if (p.json) {
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
        TRY(ns_typed_find(p.q, strlen(p.q), typed, &ntyped));
        rc = S_canonical_typed(w->searcher, typed, ntyped);
        /* nothing found: what to read instead (an empty page is a dead end) */
        ns_results *recent = rc == 0 && r->total == 0 ? S_recent(w, ui) : NULL;
        ns_web_page pg = { script, ui, w->permalink, w->vendor_names, typed, ntyped, recent };
        if (rc == 0)
            rc = ns_web_render_page(&resp->body, &p, r, &pg);
        ns_results_free(recent);
        ns_typed_free(typed, ntyped);
        if (rc < 0)
            goto done;
    }
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
