/* web_results.c: one result of the search page (web_results.h). */
#include "web_results.h"

#include "cgi.h"
#include "html.h"

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

/* The title with its matched words marked, as the snippet's are. */
static int S_title(ns_buf *out, const ns_hit *h, const char *title)
{
    /* a title cut short ("…") would read as a different title: then unmarked */
    size_t n = h->title_text ? strlen(h->title_text) : 0;
    int cut = n >= 3 && (strncmp(h->title_text, "\xe2\x80\xa6", 3) == 0 ||
                         strcmp(h->title_text + n - 3, "\xe2\x80\xa6") == 0);
    if (h->title_text && h->ntitle_marks > 0 && !cut)
        return ns_html_marked(out, h->title_text, h->title_marks, h->ntitle_marks);
    return S_esc(out, title);
}

/* " · Also in Русский" for each other telling of h's story: a link to the
 * blog's article, else to its source, else the words alone. The language's
 * name is written in that language on the English page, and declined on
 * the Russian one ("Также на английском"). */
static int S_also(ns_buf *out, const ns_hit *h, const ns_web_page *pg)
{
    int rc = 0;
    ns_buf link = NS_BUF_INIT;
    for (size_t k = 0; k < h->nalso; k++) {
        const ns_record *a = &h->also[k];
        int ru_telling = a->lang && strcmp(a->lang, "ru") == 0;
        int own = pg->permalink && ns_permalink_expand(pg->permalink, a, &link) == 0;
        int src = !own && ns_html_url_linkable(a->url);
        TRY(ns_buf_puts(out, " · "));
        if (own || src) {
            TRY(ns_buf_printf(out, "<a class=\"also\" hreflang=\"%s\" href=\"",
                              ru_telling ? "ru" : "en"));
            TRY(own ? ns_html_escape(out, link.data, link.len) : S_esc(out, a->url));
            TRY(ns_buf_puts(out, "\" title=\""));
            TRY(S_esc(out, a->title ? a->title : ""));
            TRY(ns_buf_puts(out, "\">"));
        } else {
            TRY(ns_buf_puts(out, "<span class=\"also\">"));
        }
        if (S_ru(pg))
            TRY(ns_buf_puts(out, ru_telling ? "Также на русском" : "Также на английском"));
        else
            TRY(ns_buf_printf(out, "Also in <span lang=\"%s\">%s</span>", ru_telling ? "ru" : "en",
                              ru_telling ? "Русский" : "English"));
        TRY(ns_buf_puts(out, own || src ? "</a>" : "</span>"));
        ns_buf_reset(&link);
    }
done:
    ns_buf_free(&link);
    return rc;
}

int ns_web_hit(ns_buf *out, const ns_hit *h, const ns_web_page *pg)
{
    int rc = 0;
    ns_buf link = NS_BUF_INIT, tmp = NS_BUF_INIT;
    const char *title = h->rec.title ? h->rec.title : (h->rec.id ? h->rec.id : "");
    const char *lang = S_lang(h);
    int src = ns_html_url_linkable(h->rec.url);
    int own = pg->permalink && ns_permalink_expand(pg->permalink, &h->rec, &link) == 0;

    TRY(ns_buf_puts(out, "<li class=\"hit\">\n<h2"));
    if (lang)
        TRY(ns_buf_printf(out, " lang=\"%s\"", lang));
    TRY(ns_buf_puts(out, ">"));
    if (own || src) {
        TRY(ns_buf_puts(out, "<a href=\""));
        TRY(own ? ns_html_escape(out, link.data, link.len) : S_esc(out, h->rec.url));
        TRY(ns_buf_puts(out, "\">"));
        TRY(S_title(out, h, title));
        TRY(ns_buf_puts(out, "</a>"));
    } else {
        TRY(S_title(out, h, title));
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
    if (h->partial) {
        TRY(ns_buf_puts(out, " · <span class=\"partial\">"));
        TRY(S_esc(out, S_ru(pg) ? "есть не все слова" : "has some of the words"));
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
    TRY(S_also(out, h, pg));
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

/* A link to the page's own search with one parameter: "?vendor=Google". */
static int S_browse_link(ns_buf *out, const ns_web_page *pg, const char *name, const char *value,
                         const char *text)
{
    int rc = 0;
    ns_buf href = NS_BUF_INIT;
    TRY(ns_buf_puts(&href, pg->script));
    TRY(ns_buf_printf(&href, "?%s=", name));
    TRY(ns_cgi_encode(&href, value));
    TRY(ns_buf_puts(out, "<a href=\""));
    TRY(ns_html_escape(out, href.data, href.len));
    TRY(ns_buf_puts(out, "\">"));
    TRY(S_esc(out, text));
    TRY(ns_buf_puts(out, "</a>"));
done:
    ns_buf_free(&href);
    return rc;
}

/* How many vendors and months the browse lists show. */
#define BROWSE_VENDORS 12
#define BROWSE_MONTHS 12

int ns_web_browse(ns_buf *out, const ns_web_page *pg)
{
    int rc = 0;
    const ns_results *r = pg->recent;
    ns_buf link = NS_BUF_INIT, text = NS_BUF_INIT;
    if (!r || r->nhits == 0)
        return 0;
    TRY(ns_buf_puts(out, "<section class=\"browse\" id=\"recent\" aria-labelledby=\"recent-h\">\n"
                         "<h2 id=\"recent-h\">"));
    TRY(S_esc(out, S_ru(pg) ? "Новые статьи" : "Recent articles"));
    TRY(ns_buf_puts(out, "</h2>\n<ul class=\"recent\">\n"));
    for (size_t i = 0; i < r->nhits; i++) {
        const ns_hit *h = &r->hits[i];
        const char *title = h->rec.title ? h->rec.title : (h->rec.id ? h->rec.id : "");
        const char *lang = S_lang(h);
        ns_buf_reset(&link);
        int own = pg->permalink && ns_permalink_expand(pg->permalink, &h->rec, &link) == 0;
        TRY(ns_buf_puts(out, "<li>"));
        if (own || ns_html_url_linkable(h->rec.url)) {
            TRY(ns_buf_puts(out, "<a href=\""));
            TRY(own ? ns_html_escape(out, link.data, link.len) : S_esc(out, h->rec.url));
            TRY(ns_buf_puts(out, "\""));
            if (lang)
                TRY(ns_buf_printf(out, " lang=\"%s\"", lang));
            TRY(ns_buf_puts(out, ">"));
            TRY(S_esc(out, title));
            TRY(ns_buf_puts(out, "</a>"));
        } else {
            TRY(lang ? ns_buf_printf(out, "<span lang=\"%s\">", lang) : ns_buf_puts(out, "<span>"));
            TRY(S_esc(out, title));
            TRY(ns_buf_puts(out, "</span>"));
        }
        if (h->rec.date) {
            ns_buf_reset(&text);
            TRY(ns_i18n_date(&text, h->rec.date, pg->ui));
            TRY(ns_buf_puts(out, " <time class=\"n\" datetime=\""));
            TRY(S_esc(out, h->rec.date));
            TRY(ns_buf_puts(out, "\">"));
            TRY(ns_html_escape(out, text.data, text.len));
            TRY(ns_buf_puts(out, "</time>"));
        }
        TRY(ns_buf_puts(out, "</li>\n"));
    }
    TRY(ns_buf_puts(out, "</ul>\n</section>\n"));
    if (r->nvendor_facets > 0) {
        TRY(ns_buf_puts(out, "<section class=\"browse\" id=\"browse-vendor\" "
                             "aria-labelledby=\"bv-h\">\n<h2 id=\"bv-h\">"));
        TRY(S_esc(out, S_ru(pg) ? "Компании" : "Companies"));
        TRY(ns_buf_puts(out, "</h2>\n<ul class=\"tags\">\n"));
        for (size_t i = 0; i < r->nvendor_facets && i < BROWSE_VENDORS; i++) {
            const char *name = r->vendor_facets[i].name;
            TRY(ns_buf_puts(out, "<li>"));
            TRY(S_browse_link(out, pg, "vendor", name,
                              ns_vendor_names_show(pg->vendor_names, name, pg->ui)));
            TRY(ns_buf_puts(out, "</li>\n"));
        }
        TRY(ns_buf_puts(out, "</ul>\n</section>\n"));
    }
    if (r->nmonth_facets > 0) {
        TRY(ns_buf_puts(out, "<section class=\"browse\" id=\"browse-month\" "
                             "aria-labelledby=\"bm-h\">\n<h2 id=\"bm-h\">"));
        TRY(S_esc(out, S_ru(pg) ? "Месяцы" : "Months"));
        TRY(ns_buf_puts(out, "</h2>\n<ul class=\"tags\">\n"));
        for (size_t i = 0; i < r->nmonth_facets && i < BROWSE_MONTHS; i++) {
            const char *m = r->month_facets[i].name;
            ns_buf_reset(&text);
            TRY(ns_i18n_month(&text, m, pg->ui));
            TRY(ns_buf_puts(out, "<li>"));
            TRY(S_browse_link(out, pg, "month", m, ns_buf_cstr(&text)));
            TRY(ns_buf_puts(out, "</li>\n"));
        }
        TRY(ns_buf_puts(out, "</ul>\n</section>\n"));
    }
done:
    ns_buf_free(&link);
    ns_buf_free(&text);
    return rc;
}
