/* test_qbuild.c: a parsed query to a Xapian query and the changes a search
 * makes to it (searcher/qbuild.c): relaxing, leaving out a filter kind,
 * preferring, merging groups with an alternative. Checked through Xapian's
 * descriptions. */
#include "query.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static ns_query *S_parse(const char *text)
{
    ns_query *q = NULL;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_query_parse(&q, A, NULL, text, strlen(text), NULL, &err), 0);
    return q;
}

/* Description of q built with (relaxed, omit), "(none)" when it matches nothing. */
static char *S_build(const ns_query *q, int relaxed, int omit)
{
    ns_xquery *x = NULL;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_query_build_except(q, relaxed, omit, &x, &err), 0);
    char *d = x ? ns_xquery_describe(x) : strdup("(none)");
    ns_xquery_free(x);
    return d;
}

#define CHECK_BUILD(q, relaxed, omit, want) FIXTURE_STR_EQ(S_build(q, relaxed, omit), want)

START_TEST(relaxed_groups_are_ORd_each_weighing_the_coordination_boost)
{
    ns_query *q = S_parse("gpt bert");
    ck_assert(ns_query_relaxable(q));
    ck_assert_uint_eq(ns_query_groups(q), 2);
    CHECK_BUILD(q, 0, 0, "Query((gpt AND bert))");
    CHECK_BUILD(q, 1, 0, "Query(((gpt AND PostingSource(Xapian::FixedWeightPostingSource(wt=1000000)))"
                         " OR (bert AND PostingSource(Xapian::FixedWeightPostingSource("
                         "wt=1000000)))))");
    ns_query_free(q);
}
END_TEST

START_TEST(a_filter_kind_left_out_and_only_filters_match_everything)
{
    ns_query *q = S_parse("vendor:x lang:en");
    ck_assert(ns_query_has_filter(q, NS_QUERY_VENDOR));
    ck_assert(!ns_query_has_filter(q, NS_QUERY_MONTH));
    ck_assert(!ns_query_only_filters(q, NS_QUERY_VENDOR));
    ck_assert(ns_query_only_filters(q, NS_QUERY_VENDOR | NS_QUERY_LANG));
    CHECK_BUILD(q, 0, NS_QUERY_VENDOR, "Query((<alldocuments> FILTER Len))");
    CHECK_BUILD(q, 0, NS_QUERY_VENDOR | NS_QUERY_LANG, "Query(<alldocuments>)");
    ns_query_free(q);
    q = S_parse("the");
    CHECK_BUILD(q, 0, 0, "(none)");
    ns_query_free(q);
}
END_TEST

START_TEST(merged_groups_meet_their_word_or_a_share_of_the_alternative)
{
    ns_query *q = S_parse("december 2020");
    ns_xquery *alt = NULL;
    ns_err err = { 0, "" };
    ns_query_clause c;
    ck_assert_int_eq(ns_query_clause_at(q, 0, &c), 1);
    ck_assert_str_eq(c.stems[0], "decemb");
    ck_assert_int_eq(ns_xquery_term(&alt, "XM2020-12", 9, &err), 0);
    ck_assert_int_eq(ns_query_merge(q, 0, 2, alt, 0, &err), 0);
    ck_assert_int_eq(ns_query_clause_at(q, 0, &c), 0); /* no longer a plain word */
    CHECK_BUILD(q, 0, 0, "Query(((decemb OR 0.5 * XM2020-12) AND (2020 OR 0.5 * XM2020-12)))");
    ck_assert_int_eq(ns_query_merge(q, 0, 1, alt, 0, &err), NS_EINVAL);
    ck_assert_int_eq(ns_query_merge(q, 1, 5, alt, 0, &err), NS_EINVAL);
    ns_xquery_free(alt);
    ns_query_free(q);
}
END_TEST

START_TEST(highlights_are_deduplicated)
{
    ns_query *q = S_parse("model");
    size_t n;
    ck_assert_int_eq(ns_query_add_highlight(q, "модел"), 0);
    ck_assert_int_eq(ns_query_add_highlight(q, "model"), 0);
    const char *const *st = ns_query_stems(q, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(st[0], "model");
    ck_assert_str_eq(st[1], "модел");
    ns_query_free(q);
}
END_TEST

static Suite *qbuild_suite(void)
{
    return FIXTURE_SUITE("qbuild", "core", fixture_setup, fixture_teardown, 0,
                         relaxed_groups_are_ORd_each_weighing_the_coordination_boost,
                         a_filter_kind_left_out_and_only_filters_match_everything,
                         merged_groups_meet_their_word_or_a_share_of_the_alternative,
                         highlights_are_deduplicated);
}

FIXTURE_MAIN(qbuild_suite)
