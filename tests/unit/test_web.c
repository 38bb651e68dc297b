/* test_web.c: the web program's request parsing (cgi.h) and page (web.h),
 * without a server: hostile query strings, limits, language choice, plurals,
 * link schemes, escaping of everything written into HTML. */
#include "cgi.h"
#include "html.h"
#include "query.h"
#include "web.h"
#include "web_msgs.h"

#include "fixture.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ns_cgi_params parse(const char *qs)
{
    ns_cgi_params p;
    ck_assert_int_eq(ns_cgi_parse(&p, qs, strlen(qs)), 0);
    return p;
}

static ns_cgi_bad parse_bad(const char *qs)
{
    ns_cgi_params p = parse(qs);
    ns_cgi_bad b = p.bad;
    ns_cgi_params_clear(&p);
    return b;
}

/* ---- decoding ---------------------------------------------------------------- */

START_TEST(plus_is_space_and_percent_escapes_decode)
{
    ns_cgi_params p = parse("q=gpt%2D3+%D0%AF%d0%bd%D0%B4%D0%B5%D0%BA%D1%81&sort=date&page=3");
    ck_assert_int_eq(p.bad, NS_CGI_OK);
    ck_assert_str_eq(p.q, "gpt-3 Яндекс");
    ck_assert_int_eq(p.sort_by_date, 1);
    ck_assert_uint_eq(p.page, 3);
    ns_cgi_params_clear(&p);
}
END_TEST

START_TEST(empty_query_string_gives_defaults)
{
    ns_cgi_params p = parse("");
    ck_assert_int_eq(p.bad, NS_CGI_OK);
    ck_assert_str_eq(p.q, "");
    ck_assert_uint_eq(p.page, 1);
    ck_assert_ptr_null(p.month);
    ck_assert_ptr_null(p.lang);
    ck_assert_uint_eq(p.nvendors, 0);
    ck_assert_int_eq(p.json, 0);
    ns_cgi_params_clear(&p);
    ck_assert_int_eq(ns_cgi_parse(&p, NULL, 0), 0);
    ck_assert_int_eq(p.bad, NS_CGI_OK);
    ns_cgi_params_clear(&p);
}
END_TEST

START_TEST(vendor_repeats_in_order_without_duplicates)
{
    ns_cgi_params p = parse("vendor=OpenAI&&vendor=Nvidia&vendor=openai&vendor=&q=x&month=2020-10"
                            "&lang=ru&format=json&utm_source=blog");
    ck_assert_int_eq(p.bad, NS_CGI_OK);
    ck_assert_uint_eq(p.nvendors, 2);
    ck_assert_str_eq(p.vendors[0], "OpenAI");
    ck_assert_str_eq(p.vendors[1], "Nvidia");
    ck_assert_str_eq(p.month, "2020-10");
    ck_assert_str_eq(p.lang, "ru");
    ck_assert_int_eq(p.json, 1);
    ns_cgi_params_clear(&p);
}
END_TEST

START_TEST(empty_values_mean_absent)
{
    ns_cgi_params p = parse("q=&month=&lang=&sort=&page=&format=");
    ck_assert_int_eq(p.bad, NS_CGI_OK);
    ck_assert_ptr_null(p.month);
    ck_assert_ptr_null(p.lang);
    ck_assert_uint_eq(p.page, 1);
    ns_cgi_params_clear(&p);
}
END_TEST

START_TEST(bad_percent_escapes_are_rejected)
{
    ck_assert_int_eq(parse_bad("q=%zz"), NS_CGI_BAD_ESCAPE);
    ck_assert_int_eq(parse_bad("q=ab%4"), NS_CGI_BAD_ESCAPE);
    ck_assert_int_eq(parse_bad("q=ab%"), NS_CGI_BAD_ESCAPE);
    ck_assert_int_eq(parse_bad("q=%g0"), NS_CGI_BAD_ESCAPE);
    ck_assert_int_eq(parse_bad("%zz=1"), NS_CGI_BAD_ESCAPE);
    ns_buf b = NS_BUF_INIT;
    ck_assert_int_eq(ns_cgi_decode(&b, "%4", 2), NS_ESYNTAX);
    ns_buf_free(&b);
}
END_TEST

START_TEST(invalid_utf8_is_rejected_including_overlong_forms)
{
    ck_assert_int_eq(parse_bad("q=%FF"), NS_CGI_BAD_UTF8);
    ck_assert_int_eq(parse_bad("q=%C0%BC"), NS_CGI_BAD_UTF8);          /* overlong '<' */
    ck_assert_int_eq(parse_bad("q=%E0%80%BC"), NS_CGI_BAD_UTF8);       /* overlong, 3 bytes */
    ck_assert_int_eq(parse_bad("q=%ED%A0%80"), NS_CGI_BAD_UTF8);       /* surrogate */
    ck_assert_int_eq(parse_bad("q=%D0"), NS_CGI_BAD_UTF8);             /* truncated */
    ck_assert_int_eq(parse_bad("q=a%00b"), NS_CGI_BAD_UTF8);           /* NUL */
    ck_assert_int_eq(parse_bad("vendor=%C3%28"), NS_CGI_BAD_UTF8);
    ck_assert_int_eq(parse_bad("q=%F4%90%80%80"), NS_CGI_BAD_UTF8);    /* > U+10FFFF */
}
END_TEST

START_TEST(limits_on_length_and_count)
{
    char *qs = malloc(NS_CGI_MAX_QS + 2);
    memcpy(qs, "q=", 2);
    memset(qs + 2, 'a', NS_CGI_MAX_QS - 1);
    qs[NS_CGI_MAX_QS + 1] = '\0';
    ck_assert_int_eq(parse_bad(qs), NS_CGI_BAD_QS_LONG);
    qs[NS_CGI_MAX_QS] = '\0';  /* exactly the limit: only q is too long */
    ck_assert_int_eq(parse_bad(qs), NS_CGI_BAD_Q_LONG);
    qs[2 + NS_CGI_MAX_Q + 1] = '\0';
    ck_assert_int_eq(parse_bad(qs), NS_CGI_BAD_Q_LONG);
    qs[2 + NS_CGI_MAX_Q] = '\0';       /* exactly 512 characters is fine */
    ck_assert_int_eq(parse_bad(qs), NS_CGI_OK);
    free(qs);
    /* characters, not bytes: 512 Russian letters (1024 bytes) pass, 513 do not */
    ns_buf ru = NS_BUF_INIT;
    ns_buf_puts(&ru, "q=");
    for (int i = 0; i < NS_CGI_MAX_Q; i++)
        ns_buf_puts(&ru, "%D1%8F");
    ck_assert_int_eq(parse_bad(ru.data), NS_CGI_OK);
    ns_buf_puts(&ru, "%D1%8F");
    ck_assert_int_eq(parse_bad(ru.data), NS_CGI_BAD_Q_LONG);
    ns_buf_free(&ru);

    ns_buf b = NS_BUF_INIT;
    for (int i = 0; i < NS_CGI_MAX_PARAMS; i++)
        ns_buf_printf(&b, "%sx%d=1", i ? "&" : "", i);
    ck_assert_int_eq(parse_bad(b.data), NS_CGI_OK);
    ns_buf_puts(&b, "&one=more");
    ck_assert_int_eq(parse_bad(b.data), NS_CGI_BAD_TOO_MANY);
    ns_buf_reset(&b);
    ns_buf_puts(&b, "vendor=");
    for (int i = 0; i < NS_CGI_MAX_VALUE + 1; i++)
        ns_buf_putc(&b, 'v');
    ck_assert_int_eq(parse_bad(b.data), NS_CGI_BAD_VALUE_LONG);
    ns_buf_free(&b);
}
END_TEST

START_TEST(month_lang_sort_page_format_are_checked)
{
    ck_assert_int_eq(parse_bad("month=2020-13"), NS_CGI_BAD_MONTH);
    ck_assert_int_eq(parse_bad("month=2020-1"), NS_CGI_BAD_MONTH);
    ck_assert_int_eq(parse_bad("month=2020-00"), NS_CGI_BAD_MONTH);
    ck_assert_int_eq(parse_bad("month=2021-01..2020-12"), NS_CGI_BAD_MONTH);
    ck_assert_int_eq(parse_bad("month=2020-01..2020-12"), NS_CGI_OK);
    ck_assert_int_eq(parse_bad("month=2020-01.2020-12"), NS_CGI_BAD_MONTH);
    ck_assert_int_eq(parse_bad("lang=de"), NS_CGI_BAD_LANG);
    ck_assert_int_eq(parse_bad("sort=random"), NS_CGI_BAD_SORT);
    ck_assert_int_eq(parse_bad("page=0"), NS_CGI_BAD_PAGE);
    ck_assert_int_eq(parse_bad("page=101"), NS_CGI_BAD_PAGE);
    ck_assert_int_eq(parse_bad("page=-1"), NS_CGI_BAD_PAGE);
    ck_assert_int_eq(parse_bad("page=1x"), NS_CGI_BAD_PAGE);
    ck_assert_int_eq(parse_bad("page=99999999999999999999"), NS_CGI_BAD_PAGE);
    ck_assert_int_eq(parse_bad("page=100"), NS_CGI_OK);
    ck_assert_int_eq(parse_bad("page=007"), NS_CGI_OK);
    ck_assert_int_eq(parse_bad("format=xml"), NS_CGI_BAD_FORMAT);

    ns_cgi_params p = parse("q=%D1%81%D0%B1%D0%B5%D1%80&month=2020-13");
    ck_assert_int_eq(p.bad, NS_CGI_BAD_MONTH);
    ck_assert_str_eq(p.bad_value, "2020-13");
    ck_assert_str_eq(p.q, "сбер");     /* still there, so the 400 page speaks Russian */
    ns_cgi_params_clear(&p);
}
END_TEST

START_TEST(encode_round_trips_through_decode)
{
    const char *s = "a b&c=d/é?#%+<\"'>";
    ns_buf enc = NS_BUF_INIT, dec = NS_BUF_INIT;
    ck_assert_int_eq(ns_cgi_encode(&enc, s), 0);
    ck_assert_str_eq(enc.data, "a+b%26c%3Dd%2F%C3%A9%3F%23%25%2B%3C%22%27%3E");
    ck_assert_int_eq(ns_cgi_decode(&dec, enc.data, enc.len), 0);
    ck_assert_str_eq(dec.data, s);
    ns_buf_free(&enc);
    ns_buf_free(&dec);
}
END_TEST

/* after what the buffer holds, each byte by the rule (unreserved as it is,
 * space '+', the rest %XX), across the buffer's growth */
START_TEST(encode_appends_every_byte_by_the_rule)
{
    char s[256], want[1024];
    size_t w = 0;
    for (int c = 1; c < 256; c++)
        s[c - 1] = (char)c;
    s[255] = '\0';
    memcpy(want, "head:", 5);
    w = 5;
    for (int c = 1; c < 256; c++) {
        if (isalnum(c) && c < 128)
            want[w++] = (char)c;
        else if (c == '-' || c == '.' || c == '_' || c == '~')
            want[w++] = (char)c;
        else if (c == ' ')
            want[w++] = '+';
        else
            w += (size_t)snprintf(want + w, sizeof want - w, "%%%02X", c);
    }
    want[w] = '\0';
    ns_buf enc = NS_BUF_INIT;
    ck_assert_int_eq(ns_buf_puts(&enc, "head:"), 0);
    ck_assert_int_eq(ns_cgi_encode(&enc, s), 0);
    ck_assert_uint_eq(enc.len, w);
    ck_assert_str_eq(enc.data, want);
    ck_assert_int_eq(ns_cgi_encode(&enc, ""), 0);
    ck_assert_uint_eq(enc.len, w);
    ns_buf_free(&enc);
}
END_TEST

/* ---- language, plurals, links ------------------------------------------------------ */

START_TEST(ui_language_from_query_then_accept_language)
{
    ck_assert_str_eq(ns_cgi_ui_lang("нейросеть", NULL), "ru");
    ck_assert_str_eq(ns_cgi_ui_lang("GPT-3 Яндекс", "en-US,en;q=0.9"), "ru");
    ck_assert_str_eq(ns_cgi_ui_lang("gpt", NULL), "en");
    ck_assert_str_eq(ns_cgi_ui_lang("", "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"), "ru");
    ck_assert_str_eq(ns_cgi_ui_lang("", "en-US,en;q=0.9,ru;q=0.8"), "en");
    ck_assert_str_eq(ns_cgi_ui_lang("", "en;q=0.5, ru"), "ru");
    ck_assert_str_eq(ns_cgi_ui_lang("", "ru;q=0, en;q=0.1"), "en");
    ck_assert_str_eq(ns_cgi_ui_lang("", "de-DE,ru;q=0.5"), "ru");
    ck_assert_str_eq(ns_cgi_ui_lang("", "de-DE,fr"), "en");
    ck_assert_str_eq(ns_cgi_ui_lang("", "rus,russian"), "en");   /* not the tag "ru" */
    ck_assert_str_eq(ns_cgi_ui_lang("", "ru-x"), "ru");
    ck_assert_str_eq(ns_cgi_ui_lang("", ""), "en");
    ck_assert_str_eq(ns_cgi_ui_lang("", ";;;,,q=,ru;q=zz"), "en");
}
END_TEST

START_TEST(russian_plural_forms)
{
    unsigned long one[] = { 1, 21, 101, 1001 }, few[] = { 2, 3, 4, 22, 34, 102 },
                  many[] = { 0, 5, 11, 12, 13, 14, 19, 20, 25, 111, 112, 1000 };
    for (size_t i = 0; i < sizeof one / sizeof *one; i++)
        ck_assert_int_eq(ns_cgi_ru_plural(one[i]), 0);
    for (size_t i = 0; i < sizeof few / sizeof *few; i++)
        ck_assert_int_eq(ns_cgi_ru_plural(few[i]), 1);
    for (size_t i = 0; i < sizeof many / sizeof *many; i++)
        ck_assert_int_eq(ns_cgi_ru_plural(many[i]), 2);
}
END_TEST

START_TEST(only_http_and_https_urls_become_links)
{
    ck_assert_int_eq(ns_html_url_linkable("https://openai.com/blog/"), 1);
    ck_assert_int_eq(ns_html_url_linkable("HTTP://example.com"), 1);
    ck_assert_int_eq(ns_html_url_linkable("javascript:alert(1)"), 0);
    ck_assert_int_eq(ns_html_url_linkable(" JaVaScRiPt:alert(1)"), 0);
    ck_assert_int_eq(ns_html_url_linkable("data:text/html,<script>"), 0);
    ck_assert_int_eq(ns_html_url_linkable("//evil.example/"), 0);
    ck_assert_int_eq(ns_html_url_linkable("http://"), 0);
    ck_assert_int_eq(ns_html_url_linkable("http://a b"), 0);
    ck_assert_int_eq(ns_html_url_linkable("https://a\nb"), 0);
    ck_assert_int_eq(ns_html_url_linkable(""), 0);
    ck_assert_int_eq(ns_html_url_linkable(NULL), 0);
}
END_TEST

/* ---- the page ---------------------------------------------------------------------------- */

static char *render(const char *qs, ns_results *r, const char *ui)
{
    ns_cgi_params p = parse(qs);
    ns_buf out = NS_BUF_INIT;
    ck_assert_int_eq(ns_web_render_results(&out, &p, r, "/cgi-bin/nsearch.cgi", ui), 0);
    ns_cgi_params_clear(&p);
    return ns_buf_detach(&out);
}

START_TEST(hostile_title_url_and_query_are_escaped)
{
    char *vendors[] = { "<b>Evil</b>" };
    ns_span marks[] = { { 0, 8 } };
    ns_hit hit = { 0 };
    hit.rank = 1;
    hit.rec.title = "<script>alert(1)</script>";
    hit.rec.date = "2020-10-01";
    hit.rec.url = "javascript:alert(1)";
    hit.rec.vendors = vendors;
    hit.rec.nvendors = 1;
    hit.snippet = "<script> and \"quotes\" & 'apostrophes'";
    hit.marks = marks;
    hit.nmarks = 1;
    ns_facet_count vf[] = { { "<i>V\"</i>", 1 } }, mf[] = { { "2020-10", 1 } };
    ns_results r = { 0 };
    r.query = "x";
    r.total = 1;
    r.hits = &hit;
    r.nhits = 1;
    r.vendor_facets = vf;
    r.nvendor_facets = 1;
    r.month_facets = mf;
    r.nmonth_facets = 1;

    char *html = render("q=%3Cscript%3Ealert(1)%3C/script%3E%22%27&vendor=%3Cx%3E", &r, "en");
    ck_assert_ptr_null(strstr(html, "<script"));
    ck_assert_ptr_null(strstr(html, "<b>Evil"));
    ck_assert_ptr_null(strstr(html, "<i>V"));
    ck_assert_ptr_null(strstr(html, "<x>"));
    ck_assert_ptr_null(strstr(html, "href=\"javascript:"));
    ck_assert_ptr_null(strstr(html, "javascript:alert(1)\""));
    ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    ck_assert_ptr_nonnull(strstr(html, "<mark>&lt;script&gt;</mark> and &quot;quotes&quot; &amp;"));
    /* the query is kept in the box, escaped */
    ck_assert_ptr_nonnull(strstr(html, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;\""));
    /* links built from the query percent-encode it */
    ck_assert_ptr_nonnull(strstr(html, "q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%27"));
    free(html);
}
END_TEST

START_TEST(results_page_has_count_facets_filters_and_pages)
{
    ns_hit hits[10] = { { 0 } };
    char *vendors[] = { "OpenAI" };
    for (int i = 0; i < 10; i++) {
        hits[i].rank = 11 + (unsigned)i;
        hits[i].rec.title = "GPT-3";
        hits[i].rec.date = "2020-06-11";
        hits[i].rec.url = "https://openai.com/blog/openai-api/";
        hits[i].rec.vendors = vendors;
        hits[i].rec.nvendors = 1;
        hits[i].snippet = "GPT-3 is here";
    }
    ns_facet_count vf[] = { { "OpenAI", 25 }, { "Microsoft", 3 } }, mf[] = { { "2020-06", 25 } };
    ns_results r = { 0 };
    r.total = 25;
    r.offset = 10;
    r.limit = 10;
    r.hits = hits;
    r.nhits = 10;
    r.vendor_facets = vf;
    r.nvendor_facets = 2;
    r.month_facets = mf;
    r.nmonth_facets = 1;
    r.suggestion = "gpt 3";
    r.relaxed = 1;

    char *html = render("q=gpt-3&vendor=openai&page=2", &r, "en");
    ck_assert_ptr_nonnull(strstr(html, "<meta name=\"viewport\""));
    ck_assert_ptr_nonnull(strstr(html, "rel=\"search\" type=\"application/opensearchdescription+xml\""));
    ck_assert_ptr_nonnull(strstr(html, "11–20 of 25 results"));
    ck_assert_ptr_nonnull(strstr(html, "<ol class=\"hits\" id=\"hits\" start=\"11\">"));
    ck_assert_ptr_nonnull(strstr(html, "<a href=\"https://openai.com/blog/openai-api/\">GPT-3</a>"));
    /* active (case-insensitively) vendor facet removes the filter, the other adds */
    ck_assert_ptr_nonnull(strstr(html, "<li class=\"on\"><a href=\"/cgi-bin/nsearch.cgi?q=gpt-3\" class=\"rm\" aria-current=\"true\">OpenAI</a>"));
    ck_assert_ptr_nonnull(strstr(html, "href=\"/cgi-bin/nsearch.cgi?q=gpt-3&amp;vendor=openai&amp;vendor=Microsoft\">Microsoft</a>"));
    ck_assert_ptr_nonnull(strstr(html, "href=\"/cgi-bin/nsearch.cgi?q=gpt-3&amp;vendor=openai&amp;month=2020-06\">June 2020</a>"));
    /* the filter is shown and removable; hidden input keeps it in the form */
    ck_assert_ptr_nonnull(strstr(html, "<input type=\"hidden\" name=\"vendor\" value=\"openai\">"));
    ck_assert_ptr_nonnull(strstr(html, "openai<a href=\"/cgi-bin/nsearch.cgi?q=gpt-3\" class=\"rm\" aria-label=\"Remove filter: openai\""));
    /* pagination: prev is page 1 (no page parameter), next is 3 */
    ck_assert_ptr_nonnull(strstr(html, "href=\"/cgi-bin/nsearch.cgi?q=gpt-3&amp;vendor=openai\" rel=\"prev\""));
    ck_assert_ptr_nonnull(strstr(html, "href=\"/cgi-bin/nsearch.cgi?q=gpt-3&amp;vendor=openai&amp;page=3\" rel=\"next\""));
    ck_assert_ptr_nonnull(strstr(html, "<strong aria-current=\"page\">2</strong>"));
    ck_assert_ptr_nonnull(strstr(html, "id=\"suggestion\""));
    ck_assert_ptr_nonnull(strstr(html, "q=gpt+3"));
    ck_assert_ptr_nonnull(strstr(html, "id=\"relaxed\""));
    free(html);

    r.total = 21;
    html = render("q=%D0%B3%D0%BF%D1%82", &r, "ru");
    ck_assert_ptr_nonnull(strstr(html, "<html lang=\"ru\">"));
    ck_assert_ptr_nonnull(strstr(html, "11–20 из 21 результата "));
    free(html);
    r.offset = 0;
    r.nhits = 3;
    r.total = 3;
    html = render("q=x", &r, "ru");
    ck_assert_ptr_nonnull(strstr(html, "3 результата"));
    free(html);
}
END_TEST

START_TEST(no_results_page_says_so)
{
    ns_results r = { 0 };
    char *html = render("q=zzzz&month=2020-01", &r, "en");
    ck_assert_ptr_nonnull(strstr(html, "0 results"));
    ck_assert_ptr_nonnull(strstr(html, "id=\"noresults\""));
    ck_assert_ptr_nonnull(strstr(html, "Try removing a filter"));
    ck_assert_ptr_null(strstr(html, "<ol"));
    free(html);
    html = render("q=%D1%8F%D1%8F%D1%8F", &r, "ru");
    ck_assert_ptr_nonnull(strstr(html, "0 результатов"));
    ck_assert_ptr_nonnull(strstr(html, "ничего не найдено"));
    free(html);
}
END_TEST

/* ---- the handler, without a database ---------------------------------------------------- */

static ns_web_response handle_base(const char *method, const char *qs, const char *db,
                                   const char *base_url)
{
    ns_web *w;
    ns_web_env env = { 0 };
    env.method = method;
    env.query_string = qs;
    env.script_name = "/s.cgi";
    ns_web_response resp = NS_WEB_RESPONSE_INIT;
    ck_assert_int_eq(ns_web_new(&w, db, NULL), 0);
    if (base_url)
        ck_assert_int_eq(ns_web_set_base_url(w, base_url, NULL), 0);
    ck_assert_int_eq(ns_web_handle(w, &env, &resp), 0);
    ns_web_free(w);
    return resp;
}

static ns_web_response handle(const char *method, const char *qs, const char *db)
{
    return handle_base(method, qs, db, NULL);
}

START_TEST(other_methods_get_405_with_allow)
{
    ns_web_response r = handle("POST", "q=x", "/nonexistent");
    ck_assert_int_eq(r.status, 405);
    ck_assert_int_eq(r.allow, 1);
    ns_buf h = NS_BUF_INIT;
    ck_assert_int_eq(ns_web_headers(&h, &r), 0);
    ck_assert_ptr_nonnull(strstr(h.data, "Status: 405 Method Not Allowed\r\n"));
    ck_assert_ptr_nonnull(strstr(h.data, "Allow: GET, HEAD\r\n"));
    ck_assert_ptr_nonnull(strstr(h.data, "Cache-Control: no-store\r\n"));
    ns_buf_free(&h);
    ns_web_response_clear(&r);
}
END_TEST

START_TEST(bad_input_gets_400_in_the_query_language)
{
    ns_web_response r = handle("GET", "q=%D1%81%D0%B1%D0%B5%D1%80&month=2020-13", "/nonexistent");
    ck_assert_int_eq(r.status, 400);
    ck_assert_ptr_nonnull(strstr(r.body.data, "Месяц «2020-13»"));
    ns_web_response_clear(&r);
    r = handle("HEAD", "q=%3Cscript%3E&page=%3Cscript%3E", "/nonexistent");
    ck_assert_int_eq(r.status, 400);
    ck_assert_int_eq(r.head, 1);
    ck_assert_ptr_null(strstr(r.body.data, "<script"));
    ck_assert_ptr_nonnull(strstr(r.body.data, "Page “&lt;script&gt;”"));
    ns_web_response_clear(&r);
    r = handle("GET", "q=x&format=json&page=0", "/nonexistent");
    ck_assert_int_eq(r.status, 400);
    ck_assert_str_eq(r.content_type, "application/json; charset=utf-8");
    ck_assert_ptr_nonnull(strstr(r.body.data, "\"error\""));
    ns_web_response_clear(&r);
}
END_TEST

START_TEST(refused_queries_are_worded_in_the_interface_language)
{
    ck_assert_str_eq(ns_web_refusal_text("ru", NS_ESYNTAX, NS_QERR_PREFIX_SHORT),
                     "Введите хотя бы две буквы перед *.");
    ck_assert_str_eq(ns_web_refusal_text("en", NS_ESYNTAX, NS_QERR_PREFIX_SHORT),
                     "Type at least two letters before *.");
    /* every reason has its own words in both languages */
    for (int r = NS_QERR_TOO_MANY_TERMS; r <= NS_QERR_NEGATED_FILTER; r++) {
        const char *en = ns_web_refusal_text("en", NS_ESYNTAX, r);
        const char *ru = ns_web_refusal_text("ru", NS_ESYNTAX, r);
        ck_assert_str_ne(en, ns_web_refusal_text("en", NS_ESYNTAX, 0));
        ck_assert_str_ne(ru, ns_web_refusal_text("ru", NS_ESYNTAX, 0));
        for (int k = NS_QERR_TOO_MANY_TERMS; k < r; k++)
            ck_assert_str_ne(en, ns_web_refusal_text("en", NS_ESYNTAX, k));
    }
    /* the analyser's refusals, by their code */
    ck_assert_str_eq(ns_web_refusal_text("ru", NS_ETOOBIG, 0), "В запросе слишком длинное слово.");
    ck_assert_str_eq(ns_web_refusal_text("en", NS_EUTF8, 0), "The query is not valid UTF-8 text.");
}
END_TEST

START_TEST(over_cap_queries_get_400_before_any_search)
{
    /* issue 13's shapes at ten times the 1000-term cap: 10,000 ORs, a
     * 10,000-word phrase, one word of 10,000 parts. The request limits
     * refuse them before the query is parsed or the database opened. */
    static const char *const units[][3] = {
        { "q=x", "+OR+x", "" }, { "q=%22", "x+", "%22" }, { "q=", "x1", "" } };
    static const size_t n[] = { 9999, 10000, 5000 };
    for (size_t k = 0; k < 3; k++) {
        ns_buf qs = NS_BUF_INIT;
        ck_assert_int_eq(ns_buf_puts(&qs, units[k][0]), 0);
        for (size_t i = 0; i < n[k]; i++)
            ck_assert_int_eq(ns_buf_puts(&qs, units[k][1]), 0);
        ck_assert_int_eq(ns_buf_puts(&qs, units[k][2]), 0);
        ck_assert_int_eq(ns_buf_puts(&qs, "&format=json"), 0);
        ns_web_response r = handle("GET", ns_buf_cstr(&qs), "/nonexistent");
        ck_assert_int_eq(r.status, 400);
        ck_assert_ptr_nonnull(strstr(r.body.data, "\"error\""));
        ns_web_response_clear(&r);
        ns_buf_free(&qs);
    }
}
END_TEST

START_TEST(missing_database_gives_generic_500_and_a_log_line)
{
    ns_web_response r = handle("GET", "q=gpt", "/nonexistent/nsearch-db");
    ck_assert_int_eq(r.status, 500);
    ck_assert_ptr_nonnull(strstr(r.body.data, "temporarily unavailable"));
    ck_assert_ptr_null(strstr(r.body.data, "/nonexistent"));
    ck_assert_ptr_nonnull(strstr(r.log.data, "/nonexistent/nsearch-db"));
    ns_web_response_clear(&r);
}
END_TEST

START_TEST(landing_page_and_opensearch_need_no_database)
{
    ns_web_response r = handle("GET", "", "/nonexistent");
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.body.data, "<form method=\"get\" action=\"/s.cgi\""));
    ns_web_response_clear(&r);
    r = handle("GET", "opensearch=1", "/nonexistent");
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.content_type, "application/opensearchdescription+xml"));
    /* no base URL: the page's own path, nothing from the request (issue 13) */
    ck_assert_ptr_nonnull(strstr(r.body.data, "template=\"/s.cgi?q={searchTerms}\""));
    ns_web_response_clear(&r);
    r = handle_base("GET", "opensearch=1", "/nonexistent", "https://example.org:8443/blog/");
    ck_assert_ptr_nonnull(
        strstr(r.body.data, "template=\"https://example.org:8443/blog/s.cgi?q={searchTerms}\""));
    ck_assert_ptr_nonnull(strstr(
        r.body.data, "template=\"https://example.org:8443/blog/s.cgi?q={searchTerms}&amp;format=json\""));
    ns_web_response_clear(&r);
}
END_TEST

START_TEST(base_url_must_be_plain_http_or_https)
{
    static const char *const good[] = { "http://example.org", "https://EXAMPLE.org:443/",
                                         "https://[::1]:8080/a/b%20c/", "http://127.0.0.1",
                                         "https://h/~user/x;y=1" };
    static const struct {
        const char *url, *why;
    } bad[] = {
        { "example.org", "does not start with http:// or https://" },
        { "javascript:alert(1)//", "does not start with http:// or https://" },
        { "ftp://example.org", "does not start with http:// or https://" },
        { "https://", "has no host" },
        { "https:///path", "has no host" },
        { "https://a b", "has a space" },
        { "https://a\nb", "has a space, a control" },
        { "https://xn--e1afmkfd.xn--p1ai/п", "non-ASCII" },
        { "https://user@example.org", "something other than a path" },
        { "https://example.org?q=1", "something other than a path" },
        { "https://example.org/p?q=1", "a character a path may not hold" },
        { "https://example.org/p#top", "a character a path may not hold" },
        { "https://example.org/\"><script>", "a character a path may not hold" },
        { "https://example.org/%zz", "bad %-escape" },
        { "https://example.org:port", "malformed port" },
        { "https://example.org:123456", "malformed port" },
        { "https://[::1/", "malformed [IPv6]" },
    };
    ns_web *w;
    ns_err err;
    ck_assert_int_eq(ns_web_new(&w, "/nonexistent", NULL), 0);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ck_assert_msg(ns_web_set_base_url(w, good[i], &err) == 0, "%s: %s", good[i], err.msg);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_int_eq(ns_web_set_base_url(w, bad[i].url, &err), NS_EINVAL);
        ck_assert_msg(strstr(err.msg, bad[i].why) != NULL, "%s: %s", bad[i].url, err.msg);
    }
    /* control characters in the message are shown as '?' */
    ck_assert_int_eq(ns_web_set_base_url(w, "https://a\033[2J", &err), NS_EINVAL);
    ck_assert_ptr_null(strchr(err.msg, '\033'));
    ns_web_free(w);
}
END_TEST

static Suite *suite(void)
{
    return FIXTURE_SUITE("web", "web", NULL, NULL, 0,
                         plus_is_space_and_percent_escapes_decode,
                         empty_query_string_gives_defaults,
                         vendor_repeats_in_order_without_duplicates,
                         empty_values_mean_absent,
                         bad_percent_escapes_are_rejected,
                         invalid_utf8_is_rejected_including_overlong_forms,
                         limits_on_length_and_count,
                         month_lang_sort_page_format_are_checked,
                         encode_round_trips_through_decode,
                         encode_appends_every_byte_by_the_rule,
                         ui_language_from_query_then_accept_language,
                         russian_plural_forms,
                         only_http_and_https_urls_become_links,
                         hostile_title_url_and_query_are_escaped,
                         results_page_has_count_facets_filters_and_pages,
                         no_results_page_says_so,
                         other_methods_get_405_with_allow,
                         bad_input_gets_400_in_the_query_language,
                         over_cap_queries_get_400_before_any_search,
                         refused_queries_are_worded_in_the_interface_language,
                         missing_database_gives_generic_500_and_a_log_line,
                         landing_page_and_opensearch_need_no_database,
                         base_url_must_be_plain_http_or_https);
}

FIXTURE_MAIN(suite)
