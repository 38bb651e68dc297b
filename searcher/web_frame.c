/* web_frame.c: what every page of the search has (web_frame.h): the head with
 * its style sheet and icon, the header with the search form, the message page,
 * and the links a page builds to itself. */
#include "web_frame.h"

#include "cgi.h"
#include "err.h"
#include "html.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define TRY(x)                  \
    do {                        \
        if ((rc = (x)) < 0)     \
            goto done;          \
    } while (0)

/* ---- small helpers ---------------------------------------------------------- */

const char *ns_web_t(const char *ui, const char *en, const char *ru)
{
    return strcmp(ui, "ru") == 0 ? ru : en;
}

int ns_web_esc(ns_buf *out, const char *s)
{
    return ns_html_escape(out, s, strlen(s));
}

/* The page's own path, percent-encoded where a path needs it (every link of
 * a page starts with it). */
int ns_web_script(ns_buf *out, const char *script)
{
    return ns_cgi_encode_path(out, script);
}


ns_web_link_state ns_web_state(const ns_cgi_params *p)
{
    ns_web_link_state st = { p->q, p->vendors, p->nvendors, NULL, NULL, p->month, p->lang,
                      p->sort_by_date, p->no_cross, p->page, p->as_typed };
    return st;
}

/* One query parameter of an href, written straight into the page: the
 * percent-encoded value has no character HTML needs escaped, and the
 * separator '&' is written as "&amp;". */
static int S_param(ns_buf *out, int *first, const char *name, const char *value)
{
    int rc;
    if ((rc = *first ? ns_buf_putc(out, '?') : ns_buf_append(out, "&amp;", 5)) < 0 ||
        (rc = ns_buf_puts(out, name)) < 0 || (rc = ns_buf_putc(out, '=')) < 0)
        return rc;
    *first = 0;
    return ns_cgi_encode(out, value);
}

/* Append the href value (escaped for a double-quoted attribute) for st. */
int ns_web_href(ns_buf *out, const char *script, const ns_web_link_state *st)
{
    int rc = 0, first = 1;
    TRY(ns_web_script(out, script));
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

int ns_web_link(ns_buf *out, const char *script, const ns_web_link_state *st, const char *attrs,
                  const char *text)
{
    int rc;
    TRY(ns_buf_puts(out, "<a href=\""));
    TRY(ns_web_href(out, script, st));
    TRY(ns_buf_puts(out, "\""));
    if (attrs)
        TRY(ns_buf_puts(out, attrs));
    TRY(ns_buf_puts(out, ">"));
    TRY(ns_web_esc(out, text));
    TRY(ns_buf_puts(out, "</a>"));
done:
    return rc;
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

int ns_web_head(ns_buf *out, const char *ui, const char *script, const char *q)
{
    int rc;
    const char *site = ns_web_t(ui, "ML news search", "Поиск по новостям ML");
    TRY(ns_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                           "<title>", ui));
    if (q && *q) {
        TRY(ns_web_esc(out, q));
        TRY(ns_buf_puts(out, " — "));
    }
    TRY(ns_web_esc(out, site));
    TRY(ns_buf_puts(out, "</title>\n<link rel=\"search\" type=\"application/opensearchdescription+xml\" "
                         "title=\""));
    TRY(ns_web_esc(out, site));
    TRY(ns_buf_puts(out, "\" href=\""));
    TRY(ns_web_script(out, script));
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
int ns_web_form(ns_buf *out, const char *ui, const char *script, const ns_cgi_params *p,
                  int focus)
{
    int rc;
    TRY(ns_buf_puts(out, "<header>\n<h1><a href=\""));
    TRY(ns_web_script(out, script));
    TRY(ns_buf_puts(out, "\">"));
    TRY(ns_web_esc(out, ns_web_t(ui, "ML news search", "Поиск по новостям ML")));
    TRY(ns_buf_puts(out, "</a></h1>\n<form method=\"get\" action=\""));
    TRY(ns_web_script(out, script));
    TRY(ns_buf_puts(out, "\" role=\"search\">\n<label for=\"q\">"));
    TRY(ns_web_esc(out, ns_web_t(ui, "Search the archive of ML news", "Поиск по архиву новостей ML")));
    TRY(ns_buf_puts(out, "</label>\n<input type=\"search\" name=\"q\" id=\"q\" value=\""));
    if (p)
        TRY(ns_web_esc(out, p->q));
    TRY(ns_buf_printf(out, "\" maxlength=\"%d\"%s>\n", NS_CGI_MAX_Q, focus ? " autofocus" : ""));
    /* filters stay when the query changes; the page does not */
    if (p) {
        for (size_t i = 0; i < p->nvendors; i++) {
            TRY(ns_buf_puts(out, "<input type=\"hidden\" name=\"vendor\" value=\""));
            TRY(ns_web_esc(out, p->vendors[i]));
            TRY(ns_buf_puts(out, "\">\n"));
        }
        if (p->month) {
            TRY(ns_buf_puts(out, "<input type=\"hidden\" name=\"month\" value=\""));
            TRY(ns_web_esc(out, p->month));
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
    TRY(ns_web_esc(out, ns_web_t(ui, "Search", "Найти")));
    TRY(ns_buf_puts(out, "</button>\n</form>\n</header>\n"));
done:
    return rc;
}

int ns_web_message_page(ns_buf *out, const char *ui, const char *script, const ns_cgi_params *p,
                          const char *heading, const char *html_message)
{
    int rc;
    TRY(ns_web_head(out, ui, script, NULL));
    TRY(ns_web_form(out, ui, script, p, 0));
    TRY(ns_buf_puts(out, "<main>\n<div class=\"error\" id=\"error\">\n<h2>"));
    TRY(ns_web_esc(out, heading));
    TRY(ns_buf_puts(out, "</h2>\n<p>"));
    TRY(ns_buf_puts(out, html_message));
    TRY(ns_buf_puts(out, "</p>\n</div>\n</main>\n</body>\n</html>\n"));
done:
    return rc;
}