/* test_web_page.c: the parts of the search page that issue 17 added beside
 * web.c: permalink templates (permalink.h), dates, months and vendors' names
 * in the interface's language (i18n.h), and one result's HTML
 * (web_results.h). */
#include "cgi.h"
#include "i18n.h"
#include "permalink.h"
#include "web.h"
#include "typed.h"
#include "web_results.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* ---- permalink templates --------------------------------------------------------- */

static char *expand(const char *tmpl, const ns_record *rec, int *rc)
{
    ns_permalink *pl = NULL;
    ns_err err;
    ck_assert_msg(ns_permalink_new(&pl, tmpl, &err) == 0, "%s: %s", tmpl, err.msg);
    ns_buf out = NS_BUF_INIT;
    *rc = ns_permalink_expand(pl, rec, &out);
    ns_permalink_free(pl);
    return ns_buf_detach(&out);
}

START_TEST(permalink_templates_expand_id_lang_year_month)
{
    ns_record rec = { 0 };
    rec.id = "ru/2020-10-sberbank rugpt3?&#";
    rec.lang = "ru";
    rec.date = "2020-10-22";
    int rc;
    char *s = expand("https://blog.example/{id}/", &rec, &rc);
    ck_assert_int_eq(rc, 0);
    /* '/' keeps the id's levels; a space, '?', '&' and '#' cannot change the URL's shape */
    ck_assert_str_eq(s, "https://blog.example/ru/2020-10-sberbank%20rugpt3%3F%26%23/");
    free(s);
    s = expand("/{lang}/{year}/{month}/{id}.html", &rec, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(s, "/ru/2020/2020-10/ru/2020-10-sberbank%20rugpt3%3F%26%23.html");
    free(s);
    s = expand("http://[::1]:8080/?p={id}&l={lang}", &rec, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(s, "http://[::1]:8080/?p=ru/2020-10-sberbank%20rugpt3%3F%26%23&l=ru");
    free(s);
    /* no level of an id climbs out of the template's path */
    rec.id = "../../etc/./x..y";
    s = expand("https://blog.example/a/{id}/", &rec, &rc);
    ck_assert_str_eq(s, "https://blog.example/a/%2E%2E/%2E%2E/etc/%2E/x..y/");
    free(s);
    /* an article without a date has no {year} link, and says so */
    rec.date = NULL;
    s = expand("https://blog.example/{year}/{id}/", &rec, &rc);
    ck_assert_int_eq(rc, NS_ENOTFOUND);
    ck_assert_msg(!s || !*s, "appended %s", s);
    free(s);
}
END_TEST

START_TEST(permalink_templates_are_checked)
{
    static const struct {
        const char *tmpl, *why;
    } bad[] = {
        { "https://blog.example/", "does not name {id}" },
        { "ftp://blog.example/{id}", "neither an http" },
        { "javascript:alert('{id}')", "neither an http" },
        { "//evil.example/{id}", "one '/'" },
        { "blog/{id}", "neither an http" },
        { "https://blog.example/{id}#top", "fragment" },
        { "https://blog.example/{slug}/{id}", "unknown placeholder" },
        { "https://blog.example/{id}}", "'}'" },
        { "https://blog.example/{ID}", "unknown placeholder" },
        { "https://blog.example/ {id}", "space" },
        { "https://blog.example/\xd0\xb1/{id}", "non-ASCII" },
        { "https://user@blog.example/{id}", "no path after the host" },
        { "https://blog.example:99999999/{id}", "port" },
        { "https://blog.example/%zz/{id}", "%-escape" },
        { "https:///{id}", "no host" },
        { "https://blog.example/<{id}>", "may not hold" },
        { "https://blog.example/\"{id}", "may not hold" },
    };
    ns_permalink *pl = NULL;
    ns_err err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(ns_permalink_new(&pl, bad[i].tmpl, &err) == NS_EINVAL, "accepted %s",
                      bad[i].tmpl);
        ck_assert_ptr_null(pl);
        ck_assert_msg(strstr(err.msg, bad[i].why), "%s: '%s' lacks '%s'", bad[i].tmpl, err.msg,
                      bad[i].why);
    }
    const char *good[] = { "https://blog.example/{id}/", "HTTP://blog.example:8080/p/{id}",
                           "/{lang}/{id}/", "/?p={id}", "https://blog.example/~a/%D0%B1/{id}" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ck_assert_msg(ns_permalink_new(&pl, good[i], &err) == 0, "%s: %s", good[i], err.msg);
        ns_permalink_free(pl);
    }
    ns_web *w = NULL;
    ck_assert_int_eq(ns_web_new(&w, "/nonexistent", NULL), 0);
    ck_assert_int_eq(ns_web_set_permalink(w, "javascript:{id}", &err), NS_EINVAL);
    ck_assert_int_eq(ns_web_set_permalink(w, "https://blog.example/{id}/", &err), 0);
    ns_web_free(w);
}
END_TEST

/* ---- dates, months, names ---------------------------------------------------------- */

static char *words(int (*fn)(ns_buf *, const char *, const char *), const char *v, const char *ui)
{
    ns_buf out = NS_BUF_INIT;
    ck_assert_int_eq(fn(&out, v, ui), 0);
    return ns_buf_detach(&out);
}

#define CK_WORDS(fn, v, ui, want) FIXTURE_STR_EQ(words(fn, v, ui), want)

START_TEST(dates_and_months_in_words_in_both_languages)
{
    CK_WORDS(ns_i18n_date, "2020-10-22", "ru", "22 октября 2020");
    CK_WORDS(ns_i18n_date, "2020-05-01", "ru", "1 мая 2020");
    CK_WORDS(ns_i18n_date, "2021-03-08", "en", "8 March 2021");
    CK_WORDS(ns_i18n_month, "2020-10", "ru", "октябрь 2020");
    CK_WORDS(ns_i18n_month, "2020-05", "en", "May 2020");
    CK_WORDS(ns_i18n_month, "2020-05..2020-07", "ru", "май 2020 – июль 2020");
    /* what is not a date is shown as the article has it */
    CK_WORDS(ns_i18n_date, "2020-13-01", "ru", "2020-13-01");
    CK_WORDS(ns_i18n_date, "2020-10-99", "en", "2020-10-99");
    CK_WORDS(ns_i18n_date, "yesterday", "en", "yesterday");
    CK_WORDS(ns_i18n_month, "2020-00", "ru", "2020-00");
    ck_assert_str_eq(ns_i18n_lang_name("ru"), "Русский");
    ck_assert_str_eq(ns_i18n_lang_name("en"), "English");
}
END_TEST

START_TEST(vendors_russian_names_come_from_the_table)
{
    ns_vendor_names *vn = NULL;
    ck_assert_int_eq(ns_vendor_names_new(&vn, NULL), 0);
    ck_assert_str_eq(ns_vendor_names_show(vn, "Sberbank", "ru"), "Сбербанк");
    ck_assert_str_eq(ns_vendor_names_show(vn, "Yandex", "ru"), "Яндекс");
    ck_assert_str_eq(ns_vendor_names_show(vn, "yandex", "ru"), "Яндекс");
    /* the Russian press writes Google and OpenAI in Latin letters */
    ck_assert_str_eq(ns_vendor_names_show(vn, "Google", "ru"), "Google");
    ck_assert_str_eq(ns_vendor_names_show(vn, "OpenAI", "ru"), "OpenAI");
    ck_assert_str_eq(ns_vendor_names_show(vn, "Sberbank", "en"), "Sberbank");
    ck_assert_str_eq(ns_vendor_names_show(vn, "Unknown Corp", "ru"), "Unknown Corp");
    ns_vendor_names_free(vn);
    ck_assert_int_eq(ns_vendor_names_from_text(&vn, "# c\nA | x | = Б | =В\nC | =\n=D | y\n", NULL), 0);
    ck_assert_str_eq(ns_vendor_names_show(vn, "A", "ru"), "Б");
    ck_assert_str_eq(ns_vendor_names_show(vn, "C", "ru"), "C");
    ns_vendor_names_free(vn);
    ck_assert_str_eq(ns_vendor_names_show(NULL, "Sberbank", "ru"), "Sberbank");
}
END_TEST

/* ---- one result ------------------------------------------------------------------------- */

static char *hit_html(const ns_hit *h, const ns_web_page *pg)
{
    ns_buf out = NS_BUF_INIT;
    ck_assert_int_eq(ns_web_hit(&out, h, pg), 0);
    return ns_buf_detach(&out);
}

START_TEST(result_title_opens_the_blog_and_the_source_is_a_second_link)
{
    char *vendors[] = { "Sberbank", "OpenAI" };
    ns_hit h = { 0 };
    h.rank = 1;
    h.rec.id = "ru/2020-10-sberbank-rugpt3";
    h.rec.title = "Сбербанк выложил ruGPT-3";
    h.rec.date = "2020-10-22";
    h.rec.lang = "ru";
    h.rec.url = "https://www.github.com/sberbank-ai/ru-gpts";
    h.rec.vendors = vendors;
    h.rec.nvendors = 2;
    h.snippet = "модель";
    ns_permalink *pl = NULL;
    ns_vendor_names *vn = NULL;
    ck_assert_int_eq(ns_permalink_new(&pl, "https://blog.example/{id}/", NULL), 0);
    ck_assert_int_eq(ns_vendor_names_new(&vn, NULL), 0);

    ns_web_page pg = { "/search", "ru", pl, vn, NULL, 0, NULL };
    char *html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, "<h2 lang=\"ru\"><a href=\"https://blog.example/ru/2020-10-sberbank-rugpt3/\">"
                                       "Сбербанк выложил ruGPT-3</a></h2>"));
    ck_assert_ptr_nonnull(strstr(html, "<a class=\"src\" href=\"https://www.github.com/sberbank-ai/ru-gpts\">"
                                       "источник: github.com</a>"));
    ck_assert_ptr_nonnull(strstr(html, "<time datetime=\"2020-10-22\">22 октября 2020</time>"));
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"vendor\">Сбербанк</span><span class=\"vendor\">OpenAI</span>"));
    ck_assert_ptr_nonnull(strstr(html, "<p class=\"snippet\" lang=\"ru\">"));
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"sr\">Русский</span>"));
    free(html);

    /* matched words in the title are marked as in the snippet, escaped */
    ns_span tmarks[] = { { 0, 16 } };
    h.title_text = "Сбербанк <b>ruGPT-3";
    h.title_marks = tmarks;
    h.ntitle_marks = 1;
    html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, "/\"><mark>Сбербанк</mark> &lt;b&gt;ruGPT-3</a></h2>"));
    free(html);
    /* a title the marking cut short is shown whole, unmarked */
    h.title_text = "…выложил ruGPT-3";
    html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, "/\">Сбербанк выложил ruGPT-3</a></h2>"));
    free(html);
    h.title_text = NULL;
    h.ntitle_marks = 0;

    /* English interface, article in Russian: the badge and lang stay Russian */
    pg.ui = "en";
    html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, "22 October 2020"));
    ck_assert_ptr_nonnull(strstr(html, ">source: github.com</a>"));
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"vendor\">Sberbank</span>"));
    ck_assert_ptr_nonnull(strstr(html, "<h2 lang=\"ru\">"));
    free(html);

    /* no template: the title opens the source, as before, and there is no second link */
    pg.permalink = NULL;
    html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://www.github.com/sberbank-ai/ru-gpts\">Сбербанк"));
    ck_assert_ptr_null(strstr(html, "class=\"src\""));
    free(html);

    /* an article without a url still opens, through its permalink */
    pg.permalink = pl;
    h.rec.url = "javascript:alert(1)";
    html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://blog.example/ru/2020-10-sberbank-rugpt3/\">"));
    ck_assert_ptr_null(strstr(html, "javascript"));
    free(html);
    ns_permalink_free(pl);
    ns_vendor_names_free(vn);
}
END_TEST

START_TEST(other_tellings_are_linked_in_the_readers_words)
{
    ns_record also[2];
    memset(also, 0, sizeof also);
    also[0].id = "en/x";
    also[0].lang = "en";
    also[0].title = "The <English> telling";
    also[0].url = "https://example.org/en";
    ns_hit h = { 0 };
    h.rank = 1;
    h.rec.id = "ru/x";
    h.rec.title = "Рассказ";
    h.rec.date = "2020-10-22";
    h.rec.lang = "ru";
    h.snippet = "текст";
    h.also = also;
    h.nalso = 1;
    ns_web_page pg = { "/search", "ru", NULL, NULL, NULL, 0, NULL };
    char *html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, " · <a class=\"also\" hreflang=\"en\" href=\"https://example.org/en\" "
                                       "title=\"The &lt;English&gt; telling\">Также на английском</a>"));
    free(html);
    /* the English page names the language in its own words */
    h.rec.lang = "en";
    also[0].lang = "ru";
    pg.ui = "en";
    html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, "hreflang=\"ru\""));
    ck_assert_ptr_nonnull(strstr(html, ">Also in <span lang=\"ru\">Русский</span></a>"));
    free(html);
    /* with a permalink template: the blog's page; without any link: words only */
    ns_permalink *pl = NULL;
    ck_assert_int_eq(ns_permalink_new(&pl, "https://blog.example/{id}/", NULL), 0);
    pg.permalink = pl;
    html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, "href=\"https://blog.example/en/x/\""));
    free(html);
    pg.permalink = NULL;
    also[0].url = "javascript:alert(1)";
    html = hit_html(&h, &pg);
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"also\">Also in <span lang=\"ru\">Русский</span></span>"));
    ck_assert_ptr_null(strstr(html, "javascript"));
    free(html);
    /* no other telling: nothing */
    h.nalso = 0;
    html = hit_html(&h, &pg);
    ck_assert_ptr_null(strstr(html, "also"));
    free(html);
    ns_permalink_free(pl);
}
END_TEST

/* ---- filters typed in the box, facets, chips --------------------------------------------- */

START_TEST(typed_filters_are_found_as_the_parser_finds_them)
{
    const char *q = "gpt vendor:\"Hugging Face\" Month:2020-10 -vendor:x a-lang:ru (lang:ru)";
    ns_typed_filter f[NS_TYPED_MAX];
    size_t n = 0;
    ck_assert_int_eq(ns_typed_find(q, strlen(q), f, &n), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(f[0].kind, 'v');
    ck_assert_str_eq(f[0].value, "Hugging Face");
    ck_assert_int_eq(f[1].kind, 'm');
    ck_assert_str_eq(f[1].value, "2020-10");
    ck_assert_int_eq(f[2].kind, 'l');
    ck_assert_str_eq(f[2].value, "ru");
    ns_buf out = NS_BUF_INIT;
    ck_assert_int_eq(ns_typed_without(&out, q, &f[0]), 0);
    ck_assert_str_eq(ns_buf_cstr(&out), "gpt Month:2020-10 -vendor:x a-lang:ru (lang:ru)");
    ns_buf_free(&out);
    ns_typed_free(f, n);
}
END_TEST

START_TEST(language_facet_chips_and_typed_filters_on_the_page)
{
    ns_facet_count lf[] = { { "en", 40 }, { "ru", 28 } }, vf[] = { { "Google", 3 }, { "Sberbank", 2 } },
                   mf[] = { { "2020-10", 5 } };
    ns_results r = { 0 };
    r.total = 5;
    r.lang_facets = lf;
    r.nlang_facets = 2;
    r.vendor_facets = vf;
    r.nvendor_facets = 2;
    r.month_facets = mf;
    r.nmonth_facets = 1;
    ns_vendor_names *vn = NULL;
    ck_assert_int_eq(ns_vendor_names_new(&vn, NULL), 0);
    const char *qs = "q=gpt+vendor%3AGoogle+month%3A2020-10&lang=ru";
    ns_cgi_params p;
    ck_assert_int_eq(ns_cgi_parse(&p, qs, strlen(qs)), 0);
    ns_typed_filter f[NS_TYPED_MAX];
    size_t n = 0;
    ck_assert_int_eq(ns_typed_find(p.q, strlen(p.q), f, &n), 0);
    ns_web_page pg = { "/search", "ru", NULL, vn, f, n, NULL };
    ns_buf out = NS_BUF_INIT;
    ck_assert_int_eq(ns_web_render_page(&out, &p, &r, &pg), 0);
    const char *html = ns_buf_cstr(&out);
    /* the language facet, by each language's own name, the chosen one current */
    ck_assert_ptr_nonnull(strstr(html, "<ul class=\"facet\" id=\"facet-lang\">"));
    ck_assert_ptr_nonnull(strstr(html, "lang=en\" lang=\"en\">English</a> <span class=\"n\">40</span>"));
    ck_assert_ptr_nonnull(strstr(html, "<li class=\"on\"><a href=\"/search?q=gpt+vendor%3AGoogle+month%3A2020-10\" "
                                       "class=\"rm\" aria-current=\"true\" lang=\"ru\">Русский</a>"));
    /* a chip that reads naturally, its button naming the filter */
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"filter\" lang=\"ru\">Русский<a href=\"/search?q=gpt+vendor%3AGoogle+month%3A2020-10\" "
                                       "class=\"rm\" aria-label=\"Убрать фильтр: Русский\""));
    ck_assert_ptr_null(strstr(html, "язык: ru"));
    /* typed filters: chips whose removal edits the query, facet entries marked */
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"filter\">Google<a href=\"/search?q=gpt+month%3A2020-10&amp;lang=ru\" "
                                       "class=\"rm\" aria-label=\"Убрать фильтр: Google\""));
    ck_assert_ptr_nonnull(strstr(html, "<li class=\"on\"><a href=\"/search?q=gpt+vendor%3AGoogle&amp;lang=ru\" "
                                       "class=\"rm\" aria-current=\"true\">октябрь 2020</a>"));
    ck_assert_ptr_nonnull(strstr(html, "<li class=\"on\"><a href=\"/search?q=gpt+month%3A2020-10&amp;lang=ru\" "
                                       "class=\"rm\" aria-current=\"true\">Google</a>"));
    /* Russian vendor names in the Russian interface; links keep the canonical name */
    ck_assert_ptr_nonnull(strstr(html, "vendor=Sberbank&amp;lang=ru\">Сбербанк</a>"));
    ns_buf_free(&out);
    ns_typed_free(f, n);
    ns_cgi_params_clear(&p);
    ns_vendor_names_free(vn);
}
END_TEST

static Suite *suite(void)
{
    return FIXTURE_SUITE("web_page", "web_page", NULL, NULL, 0,
                         permalink_templates_expand_id_lang_year_month,
                         permalink_templates_are_checked,
                         dates_and_months_in_words_in_both_languages,
                         vendors_russian_names_come_from_the_table,
                         result_title_opens_the_blog_and_the_source_is_a_second_link,
                         typed_filters_are_found_as_the_parser_finds_them,
                         language_facet_chips_and_typed_filters_on_the_page,
                         other_tellings_are_linked_in_the_readers_words);
}

FIXTURE_MAIN(suite)
