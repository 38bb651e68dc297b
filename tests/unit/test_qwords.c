/* test_qwords.c: words, phrases and prefixes of a query through the
 * analyser (searcher/qwords.c, internal header query_impl.h): the query each
 * gives, the terms each counts, what is kept for highlighting and spelling. */
#include "query_impl.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static ns_query *Q;

static void setup(void)
{
    ns_err err = { 0, "" };
    fixture_setup();
    ck_assert_int_eq(ns_query_parse(&Q, A, NULL, "", 0, NULL, &err), 0);
}

static void teardown(void)
{
    ns_query_free(Q);
    fixture_teardown();
}

/* Xapian's description of x (freed with x), malloc'd; "(none)" for NULL. */
static char *S_desc(ns_xquery *x)
{
    char *d = x ? ns_xquery_describe(x) : strdup("(none)");
    ns_xquery_free(x);
    return d;
}

#define CHECK_X(x, want) FIXTURE_STR_EQ(S_desc(x), want)

START_TEST(a_compound_word_is_its_joined_term_or_its_parts_as_a_phrase)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    clause c = { 0 };
    ck_assert_int_eq(ns_qwords_word(Q, A, "GPT-3", 5, 0, &c, &x, &err), 0);
    CHECK_X(x, "Query((gpt3 OR (gpt PHRASE 2 3)))");
    ck_assert_uint_eq(Q->nterms, 3); /* gpt3, gpt, 3 */
    ck_assert_uint_eq(c.nstems, 2);
    ck_assert_str_eq(c.stems[0], "gpt");
    ck_assert_str_eq(c.stems[1], "3");
    ns_query_clause_clear(&c);
    ck_assert_uint_eq(Q->nwords, 0); /* not a plain word: no spelling */
}
END_TEST

START_TEST(a_plain_word_is_highlighted_and_kept_for_spelling)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_qwords_word(Q, A, "Нейросети", strlen("Нейросети"), 4, NULL, &x, &err),
                     0);
    CHECK_X(x, "Query(нейросет)");
    ck_assert_uint_eq(Q->nterms, 1);
    ck_assert_uint_eq(Q->nstems, 1);
    ck_assert_str_eq(Q->stems[0], "нейросет");
    ck_assert_uint_eq(Q->nwords, 1);
    ck_assert_uint_eq(Q->words[0].start, 4);
    ck_assert_str_eq(Q->words[0].folded, "нейросети");
    /* a stopword alone gives nothing and counts nothing */
    ck_assert_int_eq(ns_qwords_word(Q, A, "the", 3, 0, NULL, &x, &err), 0);
    ck_assert_ptr_null(x);
    ck_assert_uint_eq(Q->nterms, 1);
}
END_TEST

START_TEST(a_phrase_keeps_the_window_its_stopwords_take)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    const char *p = "state of the art";
    ck_assert_int_eq(ns_qwords_phrase(Q, A, p, strlen(p), &x, &err), 0);
    CHECK_X(x, "Query((state PHRASE 4 art))");
    ck_assert_uint_eq(Q->nterms, 2);
    ck_assert_int_eq(ns_qwords_phrase(Q, A, "the", 3, &x, &err), 0);
    ck_assert_ptr_null(x);
}
END_TEST

START_TEST(a_prefix_is_folded_and_cut_to_its_words_stem)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    char *pre;
    size_t plen;
    ck_assert_int_eq(ns_qwords_prefix(Q, A, "Translation", 11, &pre, &plen, &x, &err), 0);
    ck_assert_ptr_null(x);
    ck_assert_str_eq(pre, "translat");
    ck_assert_uint_eq(plen, 8);
    free(pre);
    ck_assert_uint_eq(Q->nprefixes, 1);
    ck_assert_uint_eq(Q->nterms, 1);
}
END_TEST

START_TEST(a_short_prefix_is_NS_ESYNTAX_and_a_long_one_matches_nothing)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    char *pre;
    size_t plen;
    ck_assert_int_eq(ns_qwords_prefix(Q, A, "a", 1, &pre, &plen, &x, &err), NS_ESYNTAX);
    ck_assert_str_eq(err.msg, "prefix 'a*' is too short");
    char longp[200];
    memset(longp, 'x', sizeof longp);
    ck_assert_int_eq(ns_qwords_prefix(Q, A, longp, sizeof longp, &pre, &plen, &x, &err), 0);
    ck_assert_ptr_null(pre);
    CHECK_X(x, "Query(\\x01)");
}
END_TEST

START_TEST(a_word_of_more_terms_than_the_cap_is_NS_ETOOBIG)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    size_t n = 2 * NS_QUERY_MAX_TERMS;
    char *w = malloc(3 * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(w + 3 * i, "gp ", 3);
    w[3 * n] = '\0';
    ck_assert_int_eq(ns_qwords_phrase(Q, A, w, 3 * n, &x, &err), NS_ETOOBIG);
    ck_assert_msg(strstr(err.msg, "more than 1000 terms") != NULL, "%s", err.msg);
    ck_assert_uint_eq(Q->nterms, 0);
    free(w);
}
END_TEST

static Suite *qwords_suite(void)
{
    return FIXTURE_SUITE("qwords", "core", setup, teardown, 0,
                         a_compound_word_is_its_joined_term_or_its_parts_as_a_phrase,
                         a_plain_word_is_highlighted_and_kept_for_spelling,
                         a_phrase_keeps_the_window_its_stopwords_take,
                         a_prefix_is_folded_and_cut_to_its_words_stem,
                         a_short_prefix_is_NS_ESYNTAX_and_a_long_one_matches_nothing,
                         a_word_of_more_terms_than_the_cap_is_NS_ETOOBIG);
}

FIXTURE_MAIN(qwords_suite)
