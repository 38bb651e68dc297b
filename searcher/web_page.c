/* web_page.c: the results page and the landing page as HTML (web_page.h). */
#include "web_page.h"

#include "html.h"
#include "i18n.h"
#include "web_frame.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define TRY(x)                  \
    do {                        \
        if ((rc = (x)) < 0)     \
            goto done;          \
    } while (0)

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
static int S_filter_chip(ns_buf *out, const ns_web_page *pg, const ns_web_link_state *without, char kind,
                         const char *value)
{
    int rc;
    ns_buf text = NS_BUF_INIT, attrs = NS_BUF_INIT;
    TRY(S_filter_text(&text, pg, kind, value));
    TRY(ns_buf_puts(&attrs, " class=\"rm\" aria-label=\""));
    TRY(ns_web_esc(&attrs, ns_web_t(pg->ui, "Remove filter: ", "Убрать фильтр: ")));
    TRY(ns_html_escape(&attrs, text.data, text.len));
    TRY(ns_buf_puts(&attrs, "\" title=\""));
    TRY(ns_web_esc(&attrs, ns_web_t(pg->ui, "Remove filter", "Убрать фильтр")));
    TRY(ns_buf_puts(&attrs, "\""));
    TRY(ns_buf_puts(out, "\n<span class=\"filter\""));
    if (kind == 'l')
        TRY(ns_buf_printf(out, " lang=\"%s\"", strcmp(value, "ru") == 0 ? "ru" : "en"));
    TRY(ns_buf_puts(out, ">"));
    TRY(ns_html_escape(out, text.data, text.len));
    TRY(ns_web_link(out, pg->script, without, ns_buf_cstr(&attrs), "×"));
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
static int S_without_typed(ns_web_link_state *st, ns_buf *q, const ns_cgi_params *p,
                           const ns_typed_filter *f)
{
    *st = ns_web_state(p);
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
    TRY(ns_web_esc(out, ns_web_t(pg->ui, "Filters:", "Фильтры:")));
    for (size_t i = 0; i < p->nvendors; i++) {
        ns_web_link_state st = ns_web_state(p);
        st.drop_vendor = p->vendors[i];
        st.page = 1;
        TRY(S_filter_chip(out, pg, &st, 'v', p->vendors[i]));
    }
    if (p->month) {
        ns_web_link_state st = ns_web_state(p);
        st.month = NULL;
        st.page = 1;
        TRY(S_filter_chip(out, pg, &st, 'm', p->month));
    }
    if (p->lang) {
        ns_web_link_state st = ns_web_state(p);
        st.lang = NULL;
        st.page = 1;
        TRY(S_filter_chip(out, pg, &st, 'l', p->lang));
    }
    /* typed in the box: removing one takes it out of the query */
    for (size_t i = 0; i < pg->ntyped; i++) {
        ns_web_link_state st;
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
    ns_web_link_state st = ns_web_state(p);
    TRY(ns_buf_puts(out, "<nav class=\"pages\" id=\"pages\" aria-label=\""));
    TRY(ns_web_esc(out, ns_web_t(ui, "Pages", "Страницы")));
    TRY(ns_buf_puts(out, "\">\n"));
    if (cur > 1 && cur - 1 <= npages) {
        st.page = cur - 1;
        TRY(ns_web_link(out, script, &st, " rel=\"prev\"", ns_web_t(ui, "← Previous", "← Назад")));
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
            TRY(ns_web_link(out, script, &st, NULL, num));
            TRY(ns_buf_putc(out, '\n'));
        }
    }
    if (cur < npages) {
        st.page = cur + 1;
        TRY(ns_web_link(out, script, &st, " rel=\"next\"", ns_web_t(ui, "Next →", "Вперёд →")));
        TRY(ns_buf_putc(out, '\n'));
    }
    TRY(ns_buf_puts(out, "</nav>\n"));
done:
    return rc;
}

/* One facet entry: a link that adds its filter, or, when it is on (chosen by
 * a link or typed in the box), removes it; the chosen one is aria-current.
 * text and q: the list's scratch buffers (one allocation for the list, not
 * two for each of its entries). */
static int S_facet_entry(ns_buf *out, const ns_cgi_params *p, const ns_web_page *pg, char kind,
                         const ns_facet_count *f, ns_buf *text, ns_buf *q)
{
    int rc = 0;
    const ns_typed_filter *typed = S_typed(pg, kind, f->name);
    int param = kind == 'v'   ? S_is_active_vendor(p, f->name)
                : kind == 'm' ? p->month && strcmp(p->month, f->name) == 0
                              : p->lang && strcmp(p->lang, f->name) == 0;
    int on = param || typed;
    ns_web_link_state st = ns_web_state(p);
    st.page = 1;
    if (!param && typed) {
        TRY(S_without_typed(&st, q, p, typed));
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
    ns_buf_reset(text);
    TRY(S_filter_text(text, pg, kind, f->name));
    TRY(ns_buf_puts(out, on ? "<li class=\"on\">" : "<li>"));
    const char *attrs = on ? (kind == 'l' ? (strcmp(f->name, "ru") == 0
                                                  ? " class=\"rm\" aria-current=\"true\" lang=\"ru\""
                                                  : " class=\"rm\" aria-current=\"true\" lang=\"en\"")
                                          : " class=\"rm\" aria-current=\"true\"")
                           : (kind == 'l' ? (strcmp(f->name, "ru") == 0 ? " lang=\"ru\"" : " lang=\"en\"")
                                          : NULL);
    TRY(ns_web_link(out, pg->script, &st, attrs, ns_buf_cstr(text)));
    TRY(ns_buf_puts(out, " <span class=\"n\">"));
    TRY(ns_buf_putu(out, f->count));
    TRY(ns_buf_puts(out, "</span></li>\n"));
done:
    return rc;
}

/* hint: a line under the heading, or NULL */
static int S_facet_list(ns_buf *out, const ns_cgi_params *p, const ns_web_page *pg, char kind,
                        const char *id, const char *heading, const char *hint,
                        const ns_facet_count *f, size_t n)
{
    int rc = 0;
    ns_buf text = NS_BUF_INIT, q = NS_BUF_INIT;
    if (n == 0)
        return 0;
    TRY(ns_buf_puts(out, "<h2>"));
    TRY(ns_web_esc(out, heading));
    TRY(ns_buf_puts(out, "</h2>\n"));
    if (hint) {
        TRY(ns_buf_printf(out, "<p class=\"hint\" id=\"%s-or\">", id));
        TRY(ns_web_esc(out, hint));
        TRY(ns_buf_puts(out, "</p>\n"));
    }
    TRY(ns_buf_printf(out, "<ul class=\"facet\" id=\"%s\">\n", id));
    for (size_t i = 0; i < n; i++)
        TRY(S_facet_entry(out, p, pg, kind, &f[i], &text, &q));
    TRY(ns_buf_puts(out, "</ul>\n"));
done:
    ns_buf_free(&text);
    ns_buf_free(&q);
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
    TRY(ns_web_esc(out, ns_web_t(ui, "Filters", "Фильтры")));
    TRY(ns_buf_puts(out, "</label>\n<div class=\"fbody\">\n"));
    TRY(S_facet_list(out, p, pg, 'l', "facet-lang", ns_web_t(ui, "Language", "Язык"), NULL,
                     r->lang_facets, r->nlang_facets));
    /* vendor counts made without the vendor filter: each is what choosing it
     * would give, and choosing it adds it (OR) */
    TRY(S_facet_list(out, p, pg, 'v', "facet-vendor", ns_web_t(ui, "Vendors", "Компании"),
                     r->vendor_disjunctive
                         ? ns_web_t(ui, "Pick more to see articles of any of them.",
                               "Выберите ещё, чтобы видеть статьи любой из них.")
                         : NULL,
                     r->vendor_facets, r->nvendor_facets));
    TRY(S_facet_list(out, p, pg, 'm', "facet-month", ns_web_t(ui, "Months", "Месяцы"), NULL,
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

/* "11–20 of 35 results (12 with every word) · sort by relevance | date" */
static int S_count_line(ns_buf *out, const ns_cgi_params *p, const ns_results *r,
                        const char *script, const char *ui)
{
    int rc;
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
        ns_web_link_state st = ns_web_state(p);
        st.page = 1;
        TRY(ns_buf_puts(out, " · <span class=\"sort\">"));
        TRY(ns_web_esc(out, ns_web_t(ui, "sort by ", "сортировка: ")));
        const char *rel = ns_web_t(ui, "relevance", "по релевантности");
        const char *date = ns_web_t(ui, "date", "по дате");
        if (p->sort_by_date) {
            st.sort_by_date = 0;
            TRY(ns_web_link(out, script, &st, NULL, rel));
            TRY(ns_buf_puts(out, " | <strong>"));
            TRY(ns_web_esc(out, date));
            TRY(ns_buf_puts(out, "</strong>"));
        } else {
            st.sort_by_date = 1;
            TRY(ns_buf_puts(out, "<strong>"));
            TRY(ns_web_esc(out, rel));
            TRY(ns_buf_puts(out, "</strong> | "));
            TRY(ns_web_link(out, script, &st, NULL, date));
        }
        TRY(ns_buf_puts(out, "</span>"));
    }
    TRY(ns_buf_puts(out, "</p>\n"));

done:
    return rc;
}

/* What the reader should know before the results: the suggestion (or that
 * its results are shown), that only some words matched, that nothing or
 * nothing more was found. */
static int S_notices(ns_buf *out, const ns_cgi_params *p, const ns_results *r,
                     const char *script, const char *ui)
{
    int rc = 0;
    if (r->suggestion && *r->suggestion && r->showing_suggestion) {
        /* the query found nothing: these are the suggestion's results */
        ns_web_link_state st = ns_web_state(p);
        st.page = 1;
        st.as_typed = 1;
        TRY(ns_buf_printf(out, "<p class=\"notice\" id=\"suggestion\" data-showing=\"1\"%s>",
                          r->layout ? " data-layout=\"1\"" : ""));
        if (r->layout)
            TRY(ns_web_esc(out, ns_web_t(ui, "The query looks typed in the other keyboard layout. ",
                               "Похоже, запрос набран не в той раскладке. ")));
        TRY(ns_web_esc(out, ns_web_t(ui, "Showing results for ", "Показаны результаты для ")));
        TRY(ns_buf_puts(out, "<strong>"));
        TRY(ns_web_esc(out, r->suggestion));
        TRY(ns_buf_puts(out, "</strong>; "));
        TRY(ns_web_esc(out, ns_web_t(ui, "search instead for ", "искать вместо этого ")));
        TRY(ns_web_link(out, script, &st, NULL, p->q));
        TRY(ns_buf_puts(out, "</p>\n"));
    } else if (r->suggestion && *r->suggestion) {
        ns_web_link_state st = ns_web_state(p);
        st.q = r->suggestion;
        st.page = 1;
        st.as_typed = 0;
        TRY(ns_buf_printf(out, "<p class=\"notice\" id=\"suggestion\"%s>",
                          r->layout ? " data-layout=\"1\"" : ""));
        TRY(ns_web_esc(out, r->layout ? ns_web_t(ui, "Did you mean (keyboard layout): ",
                                       "Возможно, вы имели в виду (раскладка): ")
                                 : ns_web_t(ui, "Did you mean: ", "Возможно, вы имели в виду: ")));
        TRY(ns_web_link(out, script, &st, NULL, r->suggestion));
        TRY(ns_buf_puts(out, "?</p>\n"));
    }
    if (r->missing_shards) {
        TRY(ns_buf_puts(out, "<p class=\"notice\" id=\"partial\">"));
        TRY(ns_web_esc(out, ns_web_t(ui, "Part of the archive did not answer; these results are "
                                         "without it (shards: ",
                                     "Часть архива не ответила; результаты без неё (шарды: ")));
        TRY(ns_web_esc(out, r->missing_shards));
        TRY(ns_buf_puts(out, ").</p>\n"));
    }
    if (r->relaxed && r->nhits > 0) {
        TRY(ns_buf_puts(out, "<p class=\"notice\" id=\"relaxed\">"));
        TRY(ns_web_esc(out, ns_web_t(ui, "No article contains all of the words; showing articles that "
                               "contain some of them.",
                           "Нет статей, где есть все слова запроса; показаны статьи, где есть "
                           "некоторые из них.")));
        TRY(ns_buf_puts(out, "</p>\n"));
    }
    if (r->total == 0) {
        TRY(ns_buf_puts(out, "<p class=\"notice\" id=\"noresults\">"));
        if (p->q && *p->q) {
            TRY(ns_web_esc(out, ns_web_t(ui, "Nothing was found for “", "По запросу «")));
            TRY(ns_web_esc(out, p->q));
            TRY(ns_web_esc(out, ns_web_t(ui, "”.", "» ничего не найдено.")));
        } else {
            TRY(ns_web_esc(out, ns_web_t(ui, "Nothing was found.", "Ничего не найдено.")));
        }
        if (p->nvendors || p->month || p->lang)
            TRY(ns_web_esc(out, ns_web_t(ui, " Try removing a filter.", " Попробуйте убрать фильтр.")));
        else
            TRY(ns_web_esc(out, ns_web_t(ui, " Try other or fewer words.",
                               " Попробуйте другие слова или меньше слов.")));
        TRY(ns_buf_puts(out, "</p>\n"));
    } else if (r->nhits == 0) {
        ns_web_link_state st = ns_web_state(p);
        st.page = 1;
        TRY(ns_buf_puts(out, "<p class=\"notice\" id=\"noresults\">"));
        TRY(ns_web_esc(out, ns_web_t(ui, "This page is past the last result. ",
                           "Эта страница после последнего результата. ")));
        TRY(ns_web_link(out, script, &st, NULL, ns_web_t(ui, "First page", "Первая страница")));
        TRY(ns_buf_puts(out, "</p>\n"));
    }
done:
    return rc;
}

int ns_web_render_page(ns_buf *out, const ns_cgi_params *p, const ns_results *r,
                       const ns_web_page *pg)
{
    int rc;
    const char *script = pg->script, *ui = pg->ui;
    TRY(ns_web_head(out, ui, script, p->q));
    TRY(ns_web_form(out, ui, script, p, 0));
    /* the filters come first: on a phone they are one "Filters" control above
     * the results; on a wider screen a sidebar on the right (CSS order) */
    TRY(ns_buf_puts(out, "<div class=\"wrap\">\n"));
    TRY(S_facets(out, p, r, pg));
    TRY(ns_buf_puts(out, "<main>\n"));
    TRY(S_filters(out, p, pg));
    TRY(S_count_line(out, p, r, script, ui));
    TRY(S_notices(out, p, r, script, ui));
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

int ns_web_landing(ns_buf *out, const ns_web_page *pg, const ns_cgi_params *p)
{
    int rc;
    const char *ui = pg->ui, *script = pg->script;
    /* what a reader may type, each a link that runs it */
    static const char *const en_examples[] = { "GPT-3", "\"language model\"", "vendor:DeepMind",
                                               "speech OR audio", "transformer month:2020-10" };
    static const char *const ru_examples[] = { "нейросеть", "\"языковая модель\"", "vendor:Яндекс",
                                               "трансформер", "GPT-3 lang:ru" };
    const char *const *ex = strcmp(ui, "ru") == 0 ? ru_examples : en_examples;
    TRY(ns_web_head(out, ui, script, NULL));
    TRY(ns_web_form(out, ui, script, p, 1));
    TRY(ns_buf_puts(out, "<main>\n<p class=\"count\">"));
    TRY(ns_web_esc(out, ns_web_t(ui, "Search the archive of machine-learning news in English and Russian: "
                           "words, \"phrases\", -exclusions, OR, prefix*, and filters such as "
                           "vendor:OpenAI or month:2020-10.",
                       "Поиск по архиву новостей машинного обучения на русском и английском: "
                       "слова, \"фразы\", -исключения, OR, префикс*, фильтры вроде vendor:Яндекс "
                       "или month:2020-10.")));
    TRY(ns_buf_puts(out, "</p>\n<p class=\"examples\" id=\"examples\">"));
    TRY(ns_web_esc(out, ns_web_t(ui, "Try: ", "Например: ")));
    for (size_t i = 0; i < 5; i++) {
        ns_web_link_state st = { .q = ex[i], .page = 1 };
        if (i)
            TRY(ns_buf_puts(out, " · "));
        TRY(ns_web_link(out, script, &st, NULL, ex[i]));
    }
    TRY(ns_buf_puts(out, "</p>\n"));
    TRY(ns_web_browse(out, pg));
    TRY(ns_buf_puts(out, "</main>\n</body>\n</html>\n"));
done:
    return rc;
}
