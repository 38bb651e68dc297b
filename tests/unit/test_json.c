/* test_json.c: JSON output and HTML escaping (searcher/json.c, html.c). */
#include "html.h"
#include "json.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static char *S_json_str(const char *s, size_t len)
{
    ns_buf b = NS_BUF_INIT;
    ck_assert_int_eq(ns_json_string(&b, s, len), 0);
    return ns_buf_detach(&b);
}

#define CHECK_JSON(s, want) FIXTURE_STR_EQ(S_json_str(s, sizeof(s) - 1), want)

START_TEST(json_strings_escape_quotes_backslash_and_controls)
{
    CHECK_JSON("plain", "\"plain\"");
    CHECK_JSON("say \"q\" \\ back", "\"say \\\"q\\\" \\\\ back\"");
    CHECK_JSON("a\nb\tc\rd\x01\x1f\x7f", "\"a\\nb\\tc\\rd\\u0001\\u001f\\u007f\"");
    CHECK_JSON("nul\0byte", "\"nul\\u0000byte\"");
    CHECK_JSON("Перевод ёлка", "\"Перевод ёлка\"");
}
END_TEST

START_TEST(json_strings_cannot_close_a_script_element)
{
    CHECK_JSON("<script>alert(\"x\")</script>",
               "\"\\u003cscript>alert(\\\"x\\\")\\u003c/script>\"");
    CHECK_JSON("\xE2\x80\xA8", "\"\\u2028\"");
}
END_TEST

START_TEST(json_strings_replace_invalid_utf8)
{
    CHECK_JSON("a\xff" "b\xc0\xaf" "c\xed\xa0\x80", "\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD"
               "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    CHECK_JSON("cut \xd0", "\"cut \xEF\xBF\xBD\"");
    /* a two-byte lead is copied as it is only before a continuation byte */
    CHECK_JSON("\xd0" "a\xd0\xd0\xbf\xdf\xbf\xc2\x80",
               "\"\xEF\xBF\xBD" "a\xEF\xBF\xBD\xd0\xbf\xdf\xbf\xc2\x80\"");
    CHECK_JSON("\xd0\"", "\"\xEF\xBF\xBD\\\"\"");
}
END_TEST

START_TEST(html_escape_and_marks)
{
    ns_buf b = NS_BUF_INIT;
    ck_assert_int_eq(ns_html_escape(&b, "<a href='x'>&\"</a>", 18), 0);
    ck_assert_str_eq(ns_buf_cstr(&b), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
    ns_buf_reset(&b);
    /* runs around escapes, Cyrillic kept, invalid UTF-8 and NUL replaced,
     * an unescaped tail after the last escape */
    static const char mixed[] = "перевод & co\xff\xfe x\0y <b";
    ck_assert_int_eq(ns_html_escape(&b, mixed, sizeof mixed - 1), 0);
    ck_assert_str_eq(ns_buf_cstr(&b), "перевод &amp; co\xEF\xBF\xBD\xEF\xBF\xBD x\xEF\xBF\xBDy &lt;b");
    ns_buf_reset(&b);
    /* a two-byte lead before no continuation byte is replaced, the next byte kept */
    static const char leads[] = "\xd0<\xd0\xd0\xbf\xc2\x80\xdf";
    ck_assert_int_eq(ns_html_escape(&b, leads, sizeof leads - 1), 0);
    ck_assert_str_eq(ns_buf_cstr(&b),
                     "\xEF\xBF\xBD&lt;\xEF\xBF\xBD\xd0\xbf\xc2\x80\xEF\xBF\xBD");
    ns_buf_reset(&b);
    ck_assert_int_eq(ns_html_escape(&b, "plain", 5), 0);
    ck_assert_str_eq(ns_buf_cstr(&b), "plain");
    ns_buf_reset(&b);
    ck_assert_int_eq(ns_html_escape(&b, "", 0), 0);
    ck_assert_str_eq(ns_buf_cstr(&b), "");
    ns_buf_reset(&b);
    ns_hit h;
    memset(&h, 0, sizeof h);
    h.snippet = (char *)"<b>GPT-3</b> & перевода";
    ns_span marks[2] = { { 3, 8 }, { 15, 31 } };
    h.marks = marks;
    h.nmarks = 2;
    ck_assert_int_eq(ns_html_snippet(&b, &h), 0);
    ck_assert_str_eq(ns_buf_cstr(&b),
                     "&lt;b&gt;<mark>GPT-3</mark>&lt;/b&gt; &amp; <mark>перевода</mark>");
    /* nonsense marks are skipped, never read out of bounds */
    ns_span bad[2] = { { 5, 3 }, { 10, 1000 } };
    h.marks = bad;
    ns_buf_reset(&b);
    ck_assert_int_eq(ns_html_snippet(&b, &h), 0);
    ck_assert_str_eq(ns_buf_cstr(&b), "&lt;b&gt;GPT-3&lt;/b&gt; &amp; перевода");
    ns_buf_free(&b);
}
END_TEST

START_TEST(results_object_has_the_contract_shape)
{
    char *vendors[] = { (char *)"OpenAI", (char *)"Micro\"soft" };
    ns_hit hit;
    memset(&hit, 0, sizeof hit);
    hit.rank = 11;
    hit.score = 3.25;
    hit.rec.id = (char *)"en/x";
    hit.rec.title = (char *)"<script>alert(\"x\")</script> \\ \"q\"";
    hit.rec.date = (char *)"2020-10-05";
    hit.rec.lang = (char *)"en";
    hit.rec.vendors = vendors;
    hit.rec.nvendors = 2;
    hit.rec.path = (char *)"corpus/en/x.md";
    strcpy(hit.month, "2020-10");
    hit.snippet = (char *)"a & b";
    ns_span mark = { 4, 5 };
    hit.marks = &mark;
    hit.nmarks = 1;
    hit.partial = 1;
    ns_record also;
    memset(&also, 0, sizeof also);
    also.id = (char *)"ru/x";
    also.lang = (char *)"ru";
    also.title = (char *)"Заголовок";
    also.url = (char *)"https://example.org/x";
    hit.also = &also;
    hit.nalso = 1;
    ns_facet_count vf[1] = { { (char *)"OpenAI", 2 } };
    ns_facet_count lf[2] = { { (char *)"en", 7 }, { (char *)"ru", 6 } };
    ns_facet_count mf[2] = { { (char *)"2020-10", 1 }, { (char *)"2020-09", 1 } };
    ns_results r;
    memset(&r, 0, sizeof r);
    r.query = (char *)"gpt \"x\"";
    r.total = 12;
    r.total_articles = 13;
    r.total_all = 3;
    r.offset = 10;
    r.limit = 1;
    r.hits = &hit;
    r.nhits = 1;
    r.vendor_facets = vf;
    r.nvendor_facets = 1;
    r.month_facets = mf;
    r.nmonth_facets = 2;
    r.lang_facets = lf;
    r.nlang_facets = 2;
    r.vendor_disjunctive = 1;
    r.suggestion = (char *)"gpt y";
    r.layout = 1;
    r.showing_suggestion = 1;
    ns_buf b = NS_BUF_INIT;
    ck_assert_int_eq(ns_json_results(&b, &r), 0);
    ck_assert_str_eq(ns_buf_cstr(&b),
        "{\"query\":\"gpt \\\"x\\\"\",\"total\":12,\"total_articles\":13,\"total_all_words\":3,\"offset\":10,\"limit\":1,\"relaxed\":false,"
        "\"results\":[{\"rank\":11,\"id\":\"en/x\",\"title\":\"\\u003cscript>alert(\\\"x\\\")"
        "\\u003c/script> \\\\ \\\"q\\\"\",\"date\":\"2020-10-05\",\"month\":\"2020-10\","
        "\"lang\":\"en\",\"vendors\":[\"OpenAI\",\"Micro\\\"soft\"],\"url\":null,"
        "\"path\":\"corpus/en/x.md\","
        "\"also\":[{\"id\":\"ru/x\",\"lang\":\"ru\",\"title\":\"Заголовок\","
        "\"url\":\"https://example.org/x\"}],\"score\":3.25,\"partial\":true,\"snippet\":\"a & b\","
        "\"snippet_html\":\"a &amp; \\u003cmark>b\\u003c/mark>\"}],"
        "\"facets\":{\"vendor\":{\"OpenAI\":2},\"month\":{\"2020-10\":1,\"2020-09\":1},"
        "\"lang\":{\"en\":7,\"ru\":6}},"
        "\"facets_disjunctive\":{\"vendor\":true,\"month\":false},"
        "\"suggestion\":\"gpt y\",\"layout\":true,\"showing_suggestion\":true,"
        "\"intents\":{},\"expansions\":[]}");
    ns_buf_reset(&b);
    ck_assert_int_eq(ns_json_error(&b, "month:2020-13", 13, "month '2020-13' is bad"), 0);
    ck_assert_str_eq(ns_buf_cstr(&b),
                     "{\"query\":\"month:2020-13\",\"error\":\"month '2020-13' is bad\"}");
    /* the query is echoed whole: a NUL byte does not end it (issue 13) */
    ns_buf_reset(&b);
    ck_assert_int_eq(ns_json_error(&b, "gpt\0model", 9, "line contains a NUL byte"), 0);
    ck_assert_str_eq(ns_buf_cstr(&b),
                     "{\"query\":\"gpt\\u0000model\",\"error\":\"line contains a NUL byte\"}");
    ns_buf_free(&b);
}
END_TEST

START_TEST(url_only_http_and_path_relative_on_the_web)
{
    /* issue 13: the web's JSON gave a javascript: url that the page refuses,
     * and the server's absolute file path */
    ns_hit hit;
    memset(&hit, 0, sizeof hit);
    hit.rank = 1;
    hit.rec.id = (char *)"en/x";
    hit.rec.url = (char *)"javascript:alert(1)";
    hit.rec.path = (char *)"/srv/blog/articles/en/x.md";
    hit.rec.rel = (char *)"en/x.md";
    ns_results r;
    memset(&r, 0, sizeof r);
    r.query = (char *)"x";
    r.hits = &hit;
    r.nhits = 1;
    ns_buf b = NS_BUF_INIT;
    ck_assert_int_eq(ns_json_results(&b, &r), 0);
    ck_assert_ptr_nonnull(strstr(b.data, "\"url\":null,\"path\":\"/srv/blog/articles/en/x.md\""));
    ns_buf_reset(&b);
    ns_json_opts o = NS_JSON_OPTS_INIT;
    o.archive_paths = 1;
    ck_assert_int_eq(ns_json_results_opts(&b, &r, &o), 0);
    ck_assert_ptr_nonnull(strstr(b.data, "\"url\":null,\"path\":\"en/x.md\""));
    ck_assert_ptr_null(strstr(b.data, "/srv"));
    ck_assert_ptr_null(strstr(b.data, "took_ms"));
    /* an http(s) url is kept; a database without relative paths gives null */
    hit.rec.url = (char *)"HTTPS://example.org/x";
    hit.rec.rel = NULL;
    ns_buf_reset(&b);
    ck_assert_int_eq(ns_json_results_opts(&b, &r, &o), 0);
    ck_assert_ptr_nonnull(strstr(b.data, "\"url\":\"HTTPS://example.org/x\",\"path\":null"));
    /* took_ms when asked */
    ns_buf_reset(&b);
    o.took_ms = 1.5;
    ck_assert_int_eq(ns_json_results_opts(&b, &r, &o), 0);
    ck_assert_ptr_nonnull(strstr(b.data, ",\"took_ms\":1.500}"));
    ns_buf_free(&b);
}
END_TEST

static Suite *S_suite(void)
{
    return FIXTURE_SUITE("json", "json", NULL, NULL, 0,
                         json_strings_escape_quotes_backslash_and_controls,
                         json_strings_cannot_close_a_script_element,
                         json_strings_replace_invalid_utf8,
                         html_escape_and_marks,
                         results_object_has_the_contract_shape,
                         url_only_http_and_path_relative_on_the_web);
}

FIXTURE_MAIN(S_suite)
