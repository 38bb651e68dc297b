/* web_results.c: one result of the search page (web_results.h). */
#include "web_results.h"

#include "escape.h"

#include <string.h>
#include <strings.h>

#define TRY(x)                  \
    do {                        \
        if ((rc = (x)) < 0)     \
            goto done;          \
    } while (0)

static int S_esc(ns_buf *out, const char *s)
{
    return ns_html_escape(out, s, strlen(s));
}

static int S_ru(const ns_web_page *pg)
{
    return strcmp(pg->ui, "ru") == 0;
}

int ns_web_url_host(ns_buf *out, const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    if (strncasecmp(h, "www.", 4) == 0)
        h += 4;
    size_t n = strcspn(h, "/?#");
    const char *at = memchr(h, '@', n);  /* never show a user name */
    if (at) {
        n -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    return ns_buf_append(out, h, n);
}

/* The lang attribute for what the article wrote, when it is one we know. */
static const char *S_lang(const ns_hit *h)
{
    const char *l = h->rec.lang;
    return l && (strcmp(l, "en") == 0 || strcmp(l, "ru") == 0) ? l : NULL;
}

int ns_web_hit(ns_buf *out, const ns_hit *h, const ns_web_page *pg)
{
    int rc = 0;
    ns_buf link = NS_BUF_INIT, tmp = NS_BUF_INIT;
    const char *title = h->rec.title ? h->rec.title : (h->rec.id ? h->rec.id : "");
    const char *lang = S_lang(h);
    int src = ns_url_linkable(h->rec.url);
    int own = pg->permalink && ns_permalink_expand(pg->permalink, &h->rec, &link) == 0;

    TRY(ns_buf_puts(out, "<li class=\"hit\">\n<h2"));
    if (lang)
        TRY(ns_buf_printf(out, " lang=\"%s\"", lang));
    TRY(ns_buf_puts(out, ">"));
    if (own || src) {
        TRY(ns_buf_puts(out, "<a href=\""));
        TRY(own ? ns_html_escape(out, link.data, link.len) : S_esc(out, h->rec.url));
        TRY(ns_buf_puts(out, "\">"));
        TRY(S_esc(out, title));
        TRY(ns_buf_puts(out, "</a>"));
    } else {
        TRY(S_esc(out, title));
    }
    TRY(ns_buf_puts(out, "</h2>\n<div class=\"meta\">"));
    if (lang) {
        /* the badge says the language by its own name to a screen reader */
        TRY(ns_buf_printf(out, "<span class=\"lang\" lang=\"%s\" title=\"%s\">"
                               "<span aria-hidden=\"true\">%s</span>"
                               "<span class=\"sr\">%s</span></span> · ",
                          lang, ns_i18n_lang_name(lang), strcmp(lang, "ru") == 0 ? "RU" : "EN",
                          ns_i18n_lang_name(lang)));
    }
    if (h->rec.date) {
        TRY(ns_buf_puts(out, "<time datetime=\""));
        TRY(S_esc(out, h->rec.date));
        TRY(ns_buf_puts(out, "\">"));
        TRY(ns_i18n_date(&tmp, h->rec.date, pg->ui));
        TRY(ns_html_escape(out, tmp.data, tmp.len));
        TRY(ns_buf_puts(out, "</time>"));
    }
    if (h->rec.nvendors > 0) {
        TRY(ns_buf_puts(out, " · <span class=\"vendors\">"));
        for (size_t i = 0; i < h->rec.nvendors; i++) {
            TRY(ns_buf_puts(out, "<span class=\"vendor\">"));
            TRY(S_esc(out, ns_vendor_names_show(pg->vendor_names, h->rec.vendors[i], pg->ui)));
            TRY(ns_buf_puts(out, "</span>"));
        }
        TRY(ns_buf_puts(out, "</span>"));
    }
    if (own && src) {
        /* the title opens the blog's article; the source it reports on stays a click away */
        ns_buf_reset(&tmp);
        TRY(ns_web_url_host(&tmp, h->rec.url));
        TRY(ns_buf_puts(out, " · <a class=\"src\" href=\""));
        TRY(S_esc(out, h->rec.url));
        TRY(ns_buf_puts(out, "\">"));
        TRY(S_esc(out, S_ru(pg) ? "источник: " : "source: "));
        TRY(ns_html_escape(out, tmp.data, tmp.len));
        TRY(ns_buf_puts(out, "</a>"));
    }
    TRY(ns_buf_puts(out, "</div>\n<p class=\"snippet\""));
    if (lang)
        TRY(ns_buf_printf(out, " lang=\"%s\"", lang));
    TRY(ns_buf_puts(out, ">"));
    TRY(ns_html_snippet(out, h));
    TRY(ns_buf_puts(out, "</p>\n</li>\n"));
done:
    ns_buf_free(&link);
    ns_buf_free(&tmp);
    return rc;
}
