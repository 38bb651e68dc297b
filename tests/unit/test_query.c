/* test_query.c: the query language (searcher/query.c), checked through the
 * Xapian description of the query it builds. */
#include "query.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static ns_analyzer *A;
static ns_vendors *V;

static void setup(void)
{
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_analyzer_new(&A, &err), 0);
    ck_assert_int_eq(ns_vendors_new(&V, A, &err), 0);
}

static void teardown(void)
{
    ns_vendors_free(V);
    ns_analyzer_free(A);
}

/* Parse and build; return the description (malloc'd), "(none)" for a query
 * that matches nothing, or "ERR <msg>". */
static char *S_desc_opts(const char *text, size_t len, const ns_search_opts *o, int relaxed)
{
    ns_query *q = NULL;
    ns_xquery *x = NULL;
    ns_err err = { 0, "" };
    char *d;
    if (ns_query_parse(&q, A, V, text, len, o, &err) < 0) {
        d = malloc(strlen(err.msg) + 5);
        strcpy(d, "ERR ");
        strcat(d, err.msg);
        return d;
    }
    ck_assert_int_eq(ns_query_build(q, relaxed, &x, &err), 0);
    d = x ? ns_xquery_describe(x) : strdup("(none)");
    ns_xquery_free(x);
    ns_query_free(q);
    return d;
}

static char *S_desc(const char *text)
{
    return S_desc_opts(text, strlen(text), NULL, 0);
}

#define CHECK_DESC(text, want)                                                                   \
    do {                                                                                         \
        char *d_ = S_desc(text);                                                                 \
        ck_assert_str_eq(d_, want);                                                              \
        free(d_);                                                                                \
    } while (0)

START_TEST(words_are_all_required_and_stemmed)
{
    CHECK_DESC("machine translation", "Query((machin AND translat))");
    CHECK_DESC("Переводы нейросетей", "Query((перевод AND нейросет))");
}
END_TEST

START_TEST(or_binds_the_two_clauses_around_it)
{
    CHECK_DESC("google b OR c yandex", "Query((googl AND (b OR c) AND yandex))");
    CHECK_DESC("x OR y OR z", "Query(((x OR y) OR z))");
    /* a stray OR is ignored; a lowercase or is a stopword */
    CHECK_DESC("OR x", "Query(x)");
    CHECK_DESC("x OR", "Query(x)");
    CHECK_DESC("x or y", "Query((x AND y))");
}
END_TEST

START_TEST(phrase_keeps_stopword_positions)
{
    CHECK_DESC("\"machine translation\"", "Query((machin PHRASE 2 translat))");
    CHECK_DESC("\"state of the art\"", "Query((state PHRASE 4 art))");
    /* a compound inside a phrase contributes its parts */
    CHECK_DESC("\"GPT-3 model\"", "Query((gpt PHRASE 3 3 PHRASE 3 model))");
}
END_TEST

START_TEST(compound_is_joined_or_phrase_of_parts)
{
    CHECK_DESC("GPT-3", "Query((gpt3 OR (gpt PHRASE 2 3)))");
    CHECK_DESC("gpt3", "Query((gpt3 OR (gpt PHRASE 2 3)))");
    CHECK_DESC("\"GPT 3\"", "Query((gpt PHRASE 2 3))");
    CHECK_DESC("state-of-the-art", "Query((stateoftheart OR (state PHRASE 4 art)))");
}
END_TEST

START_TEST(exclusions_subtract)
{
    CHECK_DESC("x -y", "Query((x AND_NOT y))");
    CHECK_DESC("x -\"big model\" -y",
               "Query((x AND_NOT ((big PHRASE 2 model) OR y)))");
    /* only exclusions: everything but them */
    CHECK_DESC("-y", "Query((<alldocuments> AND_NOT y))");
    /* a hyphen inside a word is no exclusion, nor is a lone one */
    CHECK_DESC("x - y", "Query((x AND y))");
}
END_TEST

START_TEST(prefix_expands_over_stems)
{
    CHECK_DESC("transl*", "Query(WILDCARD SYNONYM transl)");
    /* the stem is used when it is a shorter prefix of the word */
    CHECK_DESC("translation*", "Query(WILDCARD SYNONYM translat)");
    CHECK_DESC("Перевод*", "Query(WILDCARD SYNONYM перевод)");
    CHECK_DESC("a*", "ERR prefix 'a*' is too short");
    CHECK_DESC("*", "ERR prefix '*' is too short");
}
END_TEST

START_TEST(filters_same_kind_or_different_kinds_and)
{
    CHECK_DESC("vendor:сбер vendor:\"Hugging Face\"",
               "Query((<alldocuments> FILTER (XVsberbank OR XVhugging face)))");
    CHECK_DESC("gpt vendor:OpenAI lang:RU month:2020-10",
               "Query((gpt FILTER (XVopenai AND XM2020-10 AND Lru)))");
    CHECK_DESC("month:2020-10..2020-12",
               "Query((<alldocuments> FILTER VALUE_RANGE 0 20201001 20201231))");
}
END_TEST

START_TEST(unknown_vendor_matches_nothing_but_is_no_error)
{
    CHECK_DESC("vendor:Nobody", "Query((<alldocuments> FILTER XVnobody))");
}
END_TEST

START_TEST(options_join_inline_filters_of_their_kind)
{
    const char *vendors[] = { "Яндекс" };
    ns_search_opts o = NS_SEARCH_OPTS_INIT;
    o.vendors = vendors;
    o.nvendors = 1;
    o.lang = "en";
    char *d = S_desc_opts("vendor:google x", 15, &o, 0);
    ck_assert_str_eq(d, "Query((x FILTER ((XVgoogle OR XVyandex) AND Len)))");
    free(d);
    o.nvendors = 0;
    o.lang = "de";
    d = S_desc_opts("x", 1, &o, 0);
    ck_assert_str_eq(d, "ERR lang 'de' is not en or ru");
    free(d);
}
END_TEST

START_TEST(bad_month_and_lang_are_syntax_errors)
{
    CHECK_DESC("month:2020-13", "ERR month '2020-13' is not a valid YYYY-MM");
    CHECK_DESC("month:2020-00", "ERR month '2020-00' is not a valid YYYY-MM");
    CHECK_DESC("month:2020-1", "ERR month '2020-1' is not a valid YYYY-MM");
    CHECK_DESC("month:2020-10..2020-1x", "ERR month '2020-1x' is not a valid YYYY-MM");
    CHECK_DESC("month:2020-10..2020-01",
               "ERR month range '2020-10..2020-01' ends before it starts");
    CHECK_DESC("lang:xx", "ERR lang 'xx' is not en or ru");
    CHECK_DESC("vendor:", "ERR vendor filter needs a name");
    ns_query *q = NULL;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_query_parse(&q, A, V, "month:2020-13", 13, NULL, &err), NS_ESYNTAX);
    ck_assert_ptr_null(q);
}
END_TEST

START_TEST(unbalanced_quote_makes_the_rest_a_phrase)
{
    CHECK_DESC("x \"machine translation", "Query((x AND (machin PHRASE 2 translat)))");
    CHECK_DESC("\"", "(none)");
}
END_TEST

START_TEST(empty_and_stopword_queries_match_nothing)
{
    CHECK_DESC("", "(none)");
    CHECK_DESC("   ", "(none)");
    CHECK_DESC("the of", "(none)");
    CHECK_DESC("и в на", "(none)");
    CHECK_DESC("!!! ... ---", "(none)");
    /* stopwords are dropped beside other words */
    CHECK_DESC("the transformer", "Query(transform)");
}
END_TEST

START_TEST(relaxed_query_ors_the_clauses)
{
    char *d = S_desc_opts("x y -z lang:en", 14, NULL, 1);
    ck_assert_str_eq(d, "Query((((x OR y) AND_NOT z) FILTER Len))");
    free(d);
    ns_query *q;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_query_parse(&q, A, V, "x y", 3, NULL, &err), 0);
    ck_assert_int_eq(ns_query_relaxable(q), 1);
    ns_query_free(q);
    ck_assert_int_eq(ns_query_parse(&q, A, V, "x -y", 4, NULL, &err), 0);
    ck_assert_int_eq(ns_query_relaxable(q), 0);
    ns_query_free(q);
}
END_TEST

START_TEST(stems_and_words_are_kept_for_highlighting_and_spelling)
{
    ns_query *q;
    ns_err err = { 0, "" };
    const char *text = "Переводы -gpt \"state of the art\" transl* trnslation";
    ck_assert_int_eq(ns_query_parse(&q, A, V, text, strlen(text), NULL, &err), 0);
    size_t n;
    const char *const *s = ns_query_stems(q, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(s[0], "перевод");
    ck_assert_str_eq(s[1], "state");
    ck_assert_str_eq(s[2], "art");
    ck_assert_str_eq(s[3], "trnslation");
    s = ns_query_prefixes(q, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(s[0], "transl");
    const ns_query_word *w = ns_query_words(q, &n);
    ck_assert_uint_eq(n, 2); /* the excluded word is not among them */
    ck_assert_uint_eq(w[0].start, 0);
    ck_assert_uint_eq(w[0].end, strlen("Переводы"));
    ck_assert_str_eq(w[0].folded, "переводы");
    ck_assert_str_eq(w[1].folded, "trnslation");
    ck_assert_uint_eq(w[1].end, strlen(text));
    ns_query_free(q);
}
END_TEST

START_TEST(hostile_input_does_not_crash)
{
    /* 100 KB of words */
    size_t len = 100 * 1024;
    char *big = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        big[i] = (i % 7 == 6) ? ' ' : (char)('a' + (i * 13) % 26);
    big[len] = '\0';
    char *d = S_desc_opts(big, len, NULL, 0);
    ck_assert_ptr_nonnull(d);
    free(d);
    /* 100 KB of quotes, stars, dashes and ORs */
    for (size_t i = 0; i < len; i++)
        big[i] = "\"*- OR:"[i % 7];
    d = S_desc_opts(big, len, NULL, 0);
    ck_assert_ptr_nonnull(d);
    free(d);
    free(big);
    /* NUL bytes and invalid UTF-8 separate words */
    d = S_desc_opts("gpt\0model", 9, NULL, 0);
    ck_assert_str_eq(d, "Query((gpt AND model))");
    free(d);
    d = S_desc_opts("gpt\xff\xfemodel \xd0", 12, NULL, 0);
    ck_assert_str_eq(d, "Query((gpt AND model))");
    free(d);
    d = S_desc_opts("vendor:\xff\xfe", 9, NULL, 0);
    ck_assert_ptr_nonnull(d);
    free(d);
}
END_TEST

static Suite *S_suite(void)
{
    Suite *s = suite_create("query");
    TCase *t = tcase_create("query");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 30);
    tcase_add_test(t, words_are_all_required_and_stemmed);
    tcase_add_test(t, or_binds_the_two_clauses_around_it);
    tcase_add_test(t, phrase_keeps_stopword_positions);
    tcase_add_test(t, compound_is_joined_or_phrase_of_parts);
    tcase_add_test(t, exclusions_subtract);
    tcase_add_test(t, prefix_expands_over_stems);
    tcase_add_test(t, filters_same_kind_or_different_kinds_and);
    tcase_add_test(t, unknown_vendor_matches_nothing_but_is_no_error);
    tcase_add_test(t, options_join_inline_filters_of_their_kind);
    tcase_add_test(t, bad_month_and_lang_are_syntax_errors);
    tcase_add_test(t, unbalanced_quote_makes_the_rest_a_phrase);
    tcase_add_test(t, empty_and_stopword_queries_match_nothing);
    tcase_add_test(t, relaxed_query_ors_the_clauses);
    tcase_add_test(t, stems_and_words_are_kept_for_highlighting_and_spelling);
    tcase_add_test(t, hostile_input_does_not_crash);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(S_suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
