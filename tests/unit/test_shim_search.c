/* test_shim_search.c: searching through the C shim over Xapian
 * (src/xapian_shim.h): queries, BM25 ranking, exact totals and paging,
 * facets, spelling and compaction (opening, errors and writing: test_shim.c;
 * the facet table: test_facet_table.c). Each test works in its own mkdtemp directory. */
#define _XOPEN_SOURCE 700
#include "shimfix.h"
#include "fixture.h"

#include <check.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- queries ---- */

START_TEST(phrase_matches_adjacent_terms_in_order_only)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    char *path = new_db(corpus, NULL, &db);
    ns_xquery *qs[2] = { term_q("quick"), term_q("fox") };
    ns_xquery *p = NULL;
    ck_assert_int_eq(ns_xquery_combine(&p, NS_XQ_PHRASE, qs, 2, 0, &err), 0);
    check_run(db, p, NULL, "b", 1); /* "quick fox"; a has "quick brown fox" */
    ns_xquery_free(p);
    ck_assert_int_eq(ns_xquery_combine(&p, NS_XQ_PHRASE, qs, 2, 3, &err), 0);
    unsigned total = 0;
    char *got = run(db, p, NULL, &total);
    ck_assert_uint_eq(total, 2); /* within 3 positions: a and b */
    free(got);
    ns_xquery_free(p);
    ns_xquery *rev[2] = { qs[1], qs[0] };
    ck_assert_int_eq(ns_xquery_combine(&p, NS_XQ_PHRASE, rev, 2, 0, &err), 0);
    check_run(db, p, NULL, "", 0); /* "fox quick": wrong order */
    ns_xquery_free(p);
    ns_xquery_free(qs[0]);
    ns_xquery_free(qs[1]);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(boolean_operators_select_expected_documents)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    char *path = new_db(corpus, NULL, &db);
    ns_xsearch_opts o = by_date();
    ns_xquery *quick = term_q("quick"), *fox = term_q("fox"), *dog = term_q("dog");
    ns_xquery *two[2] = { quick, fox };
    ns_xquery *q = NULL;

    ck_assert_int_eq(ns_xquery_combine(&q, NS_XQ_AND, two, 2, 0, &err), 0);
    check_run(db, q, &o, "b,a", 2);
    ns_xquery_free(q);
    ck_assert_int_eq(ns_xquery_combine(&q, NS_XQ_OR, two, 2, 0, &err), 0);
    check_run(db, q, &o, "c,b,a", 3);
    ns_xquery_free(q);
    ck_assert_int_eq(ns_xquery_combine(&q, NS_XQ_AND_NOT, two, 2, 0, &err), 0);
    check_run(db, q, &o, "c", 1);
    ns_xquery_free(q);
    ns_xquery *three[3] = { quick, fox, dog };
    ck_assert_int_eq(ns_xquery_combine(&q, NS_XQ_AND_NOT, three, 3, 0, &err), 0);
    check_run(db, q, &o, "", 0); /* quick, but neither fox nor dog */
    ns_xquery_free(q);
    ck_assert_int_eq(ns_xquery_combine(&q, NS_XQ_FILTER, two, 2, 0, &err), 0);
    check_run(db, q, &o, "b,a", 2);
    ns_xquery_free(q);
    ck_assert_int_eq(ns_xquery_combine(&q, NS_XQ_AND_MAYBE, two, 2, 0, &err), 0);
    check_run(db, q, &o, "c,b,a", 3);
    ns_xquery_free(q);
    ck_assert_int_eq(ns_xquery_combine(&q, NS_XQ_AND, two, 0, 0, &err), NS_EINVAL);
    ck_assert_int_eq(ns_xquery_combine(&q, (enum ns_xop)99, two, 2, 0, &err), NS_EINVAL);

    ns_xquery_free(quick);
    ns_xquery_free(fox);
    ns_xquery_free(dog);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(filter_terms_do_not_change_weights)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    char *path = new_db(corpus, NULL, &db);
    ns_xquery *quick = term_q("quick"), *qa = term_q("Qa");
    ns_xquery *two[2] = { quick, qa };
    ns_xquery *f = NULL;
    ck_assert_int_eq(ns_xquery_combine(&f, NS_XQ_FILTER, two, 2, 0, &err), 0);
    ns_xresults *r1 = NULL, *r2 = NULL;
    ck_assert_int_eq(ns_xsearch(db, quick, NULL, &r1, &err), 0);
    ck_assert_int_eq(ns_xsearch(db, f, NULL, &r2, &err), 0);
    ck_assert_uint_eq(ns_xresults_count(r2), 1);
    double wa = -1;
    for (size_t i = 0; i < ns_xresults_count(r1); i++)
        if (strcmp(ns_xresults_hit(r1, i)->data, "a") == 0)
            wa = ns_xresults_hit(r1, i)->score;
    ck_assert_double_eq_tol(ns_xresults_hit(r2, 0)->score, wa, 1e-9);
    ns_xresults_free(r1);
    ns_xresults_free(r2);
    ns_xquery_free(f);
    ns_xquery_free(quick);
    ns_xquery_free(qa);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(wildcard_matches_terms_with_prefix)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    char *path = new_db(corpus, NULL, &db);
    ns_xsearch_opts o = by_date();
    ns_xquery *q = NULL;
    ck_assert_int_eq(ns_xquery_wildcard(&q, "fox", 3, 0, &err), 0);
    check_run(db, q, &o, "b,a,e", 3); /* fox, foxes, foxtrot */
    ns_xquery_free(q);
    /* Limited to the most frequent expansion: "fox" (2 documents). */
    ck_assert_int_eq(ns_xquery_wildcard(&q, "fox", 3, 1, &err), 0);
    check_run(db, q, &o, "b,a", 2);
    ns_xquery_free(q);
    ck_assert_int_eq(ns_xquery_wildcard(&q, "zzz", 3, 0, &err), 0);
    check_run(db, q, &o, "", 0);
    ns_xquery_free(q);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(value_range_is_inclusive_string_order)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    char *path = new_db(corpus, NULL, &db);
    ns_xsearch_opts o = by_date();
    ns_xquery *q = NULL;
    ck_assert_int_eq(ns_xquery_value_range(&q, SLOT_DATE, "20230105", "20230210", &err), 0);
    check_run(db, q, &o, "b,d,a", 3);
    ns_xquery_free(q);
    ck_assert_int_eq(ns_xquery_value_range(&q, SLOT_DATE, "2023", "2023\xff", &err), 0);
    check_run(db, q, &o, "c,b,d,a", 4);
    ns_xquery_free(q);
    ck_assert_int_eq(ns_xquery_value_range(&q, SLOT_DATE, NULL, "x", &err), NS_EINVAL);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(match_all_counts_every_document)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    char *path = new_db(corpus, NULL, &db);
    ns_xsearch_opts o = by_date();
    ns_xquery *q = NULL;
    ck_assert_int_eq(ns_xquery_match_all(&q, &err), 0);
    check_run(db, q, &o, "c,b,d,a,e", 5);
    ns_xquery_free(q);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(describe_gives_xapian_description)
{
    ns_err err = { 0, "" };
    ns_xquery *a = term_q("quick"), *b = term_q("fox");
    ns_xquery *two[2] = { a, b };
    ns_xquery *q = NULL;
    ck_assert_int_eq(ns_xquery_combine(&q, NS_XQ_PHRASE, two, 2, 0, &err), 0);
    char *s = ns_xquery_describe(q);
    ck_assert_str_eq(s, "Query((quick PHRASE 2 fox))");
    free(s);
    ck_assert_ptr_null(ns_xquery_describe(NULL));
    ns_xquery_free(q);
    ns_xquery_free(a);
    ns_xquery_free(b);
}
END_TEST

/* ---- ranking, totals, paging, facets ---- */

START_TEST(bm25_ranks_more_occurrences_of_rare_term_first)
{
    ns_err err = { 0, "" };
    static const struct tdoc docs[] = {
        { "one", "zebra common common common", "20230101", NULL },
        { "three", "zebra zebra zebra common", "20230101", NULL },
        { "none", "common common common common", "20230101", NULL },
        { "none2", "common filler filler filler", "20230101", NULL },
        { 0 },
    };
    ns_xdb *db = NULL;
    char *path = new_db(docs, NULL, &db);
    ns_xquery *q = term_q("zebra");
    check_run(db, q, NULL, "three,one", 2);
    ns_xresults *r = NULL;
    ck_assert_int_eq(ns_xsearch(db, q, NULL, &r, &err), 0);
    ck_assert(ns_xresults_hit(r, 0)->score > ns_xresults_hit(r, 1)->score);
    ck_assert(ns_xresults_hit(r, 1)->score > 0);
    ck_assert_ptr_null(ns_xresults_hit(r, 2));
    ns_xresults_free(r);
    ns_xquery_free(q);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(relevance_ties_are_ordered_newest_first)
{
    /* Same text, so the same weight; only the date differs. Added oldest
     * in the middle so docid order is not the answer by accident. */
    static const struct tdoc docs[] = {
        { "mid", "same words here", "20230601", NULL },
        { "old", "same words here", "20220101", NULL },
        { "new", "same words here", "20240101", NULL },
        { "best", "words words words", "20200101", NULL },
        { 0 },
    };
    ns_xdb *db = NULL;
    char *path = new_db(docs, NULL, &db);
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.value_slot = SLOT_DATE;
    ns_xquery *q = term_q("words");
    check_run(db, q, &o, "best,new,mid,old", 4);
    o.sort_by_value = 1; /* date first, relevance second */
    check_run(db, q, &o, "new,mid,old,best", 4);
    ns_xquery_free(q);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(total_is_exact_and_offset_limit_page_through_hits)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    char id[16], date[16];
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "%03d", i);
        snprintf(date, sizeof date, "2023%04d", i);
        /* every third document says "rare"; all say "common" */
        add_doc(w, id, i % 3 == 0 ? "common rare" : "common", date, NULL);
    }
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);
    ns_xdb *db = open_reader(path);
    ns_xsearch_opts o = by_date();
    o.limit = 3;
    ns_xquery *q = term_q("rare");
    check_run(db, q, &o, "297,294,291", 100);
    o.offset = 3;
    check_run(db, q, &o, "288,285,282", 100);
    o.offset = 99;
    check_run(db, q, &o, "000", 100);
    o.offset = 100;
    check_run(db, q, &o, "", 100);
    o.offset = 0;
    o.limit = 0; /* count only */
    check_run(db, q, &o, "", 100);
    ns_xquery_free(q);
    q = term_q("common");
    o.limit = 1;
    check_run(db, q, &o, "299", 300);
    ns_xquery_free(q);
    ns_xdb_free(db);
    free(path);
}
END_TEST


START_TEST(facets_count_each_key_once_per_matching_document)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    char *path = new_db(corpus, NULL, &db);
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.facet_slot = SLOT_FACETS;
    o.limit = 1; /* facets cover all matches, not just the page */
    ns_xquery *q = NULL;
    ck_assert_int_eq(ns_xquery_match_all(&q, &err), 0);
    ns_xresults *r = NULL;
    ck_assert_int_eq(ns_xsearch(db, q, &o, &r, &err), 0);
    ck_assert_uint_eq(ns_xresults_count(r), 1);
    ck_assert_uint_eq(ns_xresults_total(r), 5);
    /* d lists VYandex twice: still one document. */
    check_facets(r, "M2023-01=2;VGoogle=2;VOpenAI=2;M2022-12=1;M2023-02=1;M2023-03=1;"
                    "VYandex=1;");
    ck_assert_ptr_null(ns_xresults_facet(r, 7));
    ns_xresults_free(r);
    ns_xquery_free(q);

    q = term_q("dog");
    ck_assert_int_eq(ns_xsearch(db, q, &o, &r, &err), 0);
    check_facets(r, "M2023-01=1;M2023-03=1;VGoogle=1;VYandex=1;");
    ns_xresults_free(r);
    o.facet_slot = -1;
    ck_assert_int_eq(ns_xsearch(db, q, &o, &r, &err), 0);
    ck_assert_uint_eq(ns_xresults_facet_count(r), 0);
    ns_xresults_free(r);
    ns_xquery_free(q);
    ns_xdb_free(db);
    free(path);
}
END_TEST

/* check_at_least n (the relaxed query's page pass): the same hits in the same
 * order as a pass over every match, for relevance and date order, first
 * page and later; no facets are counted. */
START_TEST(a_page_only_pass_gives_the_same_page_and_counts_no_facets)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    char id[16], text[256], date[16];
    for (int i = 0; i < 300; i++) {
        /* weights with many ties (i % 7), dates with ties too (i % 11) */
        snprintf(id, sizeof id, "%d", i);
        text[0] = '\0';
        for (int k = 0; k <= i % 7; k++)
            strcat(text, "hello ");
        strcat(text, i % 3 ? "world" : "other words here");
        snprintf(date, sizeof date, "202301%02d", 1 + i % 11);
        add_doc(w, id, text, date, "M2023-01");
    }
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ns_xdb *db = open_reader(path);
    ns_xquery *q = term_q("hello");
    for (int sort = 0; sort < 2; sort++) {
        for (unsigned offset = 0; offset < 40; offset += 13) {
            ns_xsearch_opts all = NS_XSEARCH_OPTS_INIT;
            all.value_slot = SLOT_DATE;
            all.sort_by_value = sort;
            all.offset = offset;
            all.facet_slot = SLOT_FACETS;
            ns_xsearch_opts page = all;
            page.check_at_least = offset + page.limit;
            unsigned total = 0;
            char *want = run(db, q, &all, &total);
            ck_assert_uint_eq(total, 300);
            char *got = run(db, q, &page, NULL);
            ck_assert_str_eq(got, want);
            free(got);
            free(want);
            ns_xresults *r = NULL;
            ck_assert_int_eq(ns_xsearch(db, q, &page, &r, &err), 0);
            ck_assert_uint_eq(ns_xresults_facet_count(r), 0);
            ns_xresults_free(r);
        }
    }
    ns_xquery_free(q);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

/* few_ties (a query with words): the same page, total and facets as the
 * order of weight then value, for every offset of a list whose weights tie
 * in runs (i % 7 hellos, two lengths) and whose dates tie too (i % 11): runs
 * inside the page are settled by date, a run across its end is searched
 * again, over every match and with a page-only pass. */
START_TEST(few_ties_gives_the_same_pages_as_ranking_ties_by_value)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    char id[16], text[256], date[16];
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "%d", i);
        text[0] = '\0';
        for (int k = 0; k <= i % 7; k++)
            strcat(text, "hello ");
        strcat(text, i % 3 ? "world" : "other words here");
        snprintf(date, sizeof date, "202301%02d", 1 + (i * 5) % 11);
        add_doc(w, id, text, date, i % 2 ? "M2023-01" : "M2023-02");
    }
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ns_xdb *db = open_reader(path);
    ns_xquery *q = term_q("hello");
    for (unsigned offset = 0; offset < 300; offset++) {
        for (int page_only = 0; page_only < 2; page_only++) {
            ns_xsearch_opts old = NS_XSEARCH_OPTS_INIT;
            old.value_slot = SLOT_DATE;
            old.offset = offset;
            old.limit = 1 + offset % 12;
            old.facet_slot = SLOT_FACETS;
            old.check_at_least = page_only ? old.offset + old.limit : 0;
            ns_xsearch_opts few = old;
            few.few_ties = 1;
            unsigned t_old = 0, t_few = 0;
            char *want = run(db, q, &old, &t_old);
            char *got = run(db, q, &few, &t_few);
            ck_assert_msg(strcmp(got, want) == 0, "offset %u: %s, not %s", offset, got, want);
            if (!page_only)
                ck_assert_uint_eq(t_few, t_old);
            free(got);
            free(want);
        }
    }
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.value_slot = SLOT_DATE;
    o.facet_slot = SLOT_FACETS;
    o.few_ties = 1;
    ns_xresults *r = NULL;
    ck_assert_int_eq(ns_xsearch(db, q, &o, &r, &err), 0);
    check_facets(r, "M2023-01=150;M2023-02=150;");
    ns_xresults_free(r);
    ns_xquery_free(q);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(docs_have_terms_reports_each_document_and_term)
{
    ns_err err = { 0, "" };
    static const struct tdoc docs[] = {
        { "a", "alpha common", NULL, NULL }, /* docid 1 */
        { "b", "beta common", NULL, NULL },  /* 2 */
        { "c", "gamma alpha", NULL, NULL },  /* 3 */
        { 0 },
    };
    ns_xwdb *w = NULL;
    ns_xdb *db = NULL;
    char *path = new_db(docs, &w, &db);
    const char *terms[] = { "alpha", "common", "nowhere" };
    const unsigned docids[] = { 3, 1, 2 }; /* any order */
    unsigned char have[9];
    memset(have, 7, sizeof have);
    ck_assert_int_eq(ns_xdb_docs_have_terms(db, terms, 3, docids, 3, have, &err), 0);
    const unsigned char want[9] = { 1, 0, 0,   /* doc 3: alpha */
                                    1, 1, 0,   /* doc 1: alpha common */
                                    0, 1, 0 }; /* doc 2: common */
    ck_assert(memcmp(have, want, sizeof want) == 0);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(results_outlive_their_database)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    char *path = new_db(corpus, NULL, &db);
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.facet_slot = SLOT_FACETS;
    ns_xquery *q = term_q("lazy");
    ns_xresults *r = NULL;
    ck_assert_int_eq(ns_xsearch(db, q, &o, &r, &err), 0);
    ns_xdb_free(db);
    ns_xquery_free(q);
    ck_assert_uint_eq(ns_xresults_count(r), 1);
    const ns_xhit *h = ns_xresults_hit(r, 0);
    ck_assert_uint_eq(h->data_len, 1);
    ck_assert_str_eq(h->data, "d");
    ck_assert_uint_gt(h->docid, 0);
    ck_assert_str_eq(ns_xresults_facet(r, 0)->key, "M2023-01");
    ns_xresults_free(r);
    ns_xresults_free(NULL);
    free(path);
}
END_TEST

/* ---- spelling and compaction ---- */

START_TEST(spelling_suggests_a_close_known_word)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    ck_assert_int_eq(ns_xwdb_add_spelling(w, "transformer", 11, 5, &err), 0);
    ck_assert_int_eq(ns_xwdb_add_spelling(w, "translation", 11, 2, &err), 0);
    ck_assert_int_eq(ns_xwdb_add_spelling(w, "", 0, 1, &err), NS_ETERM);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);
    ns_xdb *db = open_reader(path);
    char *s = NULL;
    ck_assert_int_eq(ns_xdb_spelling(db, "transfomer", 10, &s, &err), 0);
    ck_assert_str_eq(s, "transformer");
    free(s);
    ck_assert_int_eq(ns_xdb_spelling(db, "transformer", 11, &s, &err), 0);
    ck_assert_ptr_null(s); /* already correct */
    ck_assert_int_eq(ns_xdb_spelling(db, "qwertyuiop", 10, &s, &err), 0);
    ck_assert_ptr_null(s);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(compact_merges_databases)
{
    ns_err err = { 0, "" };
    char *p1 = tpath("one"), *p2 = tpath("two"), *dest = tpath("merged");
    ns_xwdb *w = open_writer(p1);
    add_doc(w, "a", "alpha", "20230101", NULL);
    add_doc(w, "b", "beta", "20230102", NULL);
    ns_xwdb_free(w);
    w = open_writer(p2);
    add_doc(w, "c", "gamma alpha", "20230103", NULL);
    ns_xwdb_free(w);
    const char *src[2] = { p1, p2 };
    ck_assert_msg(ns_xcompact(dest, src, 2, &err) == 0, "%s", err.msg);
    ns_xdb *db = open_reader(dest);
    ck_assert_uint_eq(rcount(db), 3);
    ns_xsearch_opts o = by_date();
    ns_xquery *q = term_q("alpha");
    check_run(db, q, &o, "c,a", 2);
    ns_xquery_free(q);
    ns_xdb_free(db);

    char *missing = tpath("missing");
    const char *bad[2] = { p1, missing };
    char *dest2 = tpath("merged2");
    ck_assert_int_eq(ns_xcompact(dest2, bad, 2, &err), NS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, missing));
    ck_assert_int_eq(ns_xcompact(dest2, bad, 0, &err), NS_EINVAL);
    free(missing);
    free(dest2);
    free(p1);
    free(p2);
    free(dest);
}
END_TEST

static Suite *shim_search_suite(void)
{
    return FIXTURE_SUITE("xapian_shim_search", "core", tempdir_setup, tempdir_teardown, 60,
                         phrase_matches_adjacent_terms_in_order_only,
                         boolean_operators_select_expected_documents,
                         filter_terms_do_not_change_weights,
                         wildcard_matches_terms_with_prefix,
                         value_range_is_inclusive_string_order,
                         match_all_counts_every_document,
                         describe_gives_xapian_description,
                         bm25_ranks_more_occurrences_of_rare_term_first,
                         relevance_ties_are_ordered_newest_first,
                         total_is_exact_and_offset_limit_page_through_hits,
                         facets_count_each_key_once_per_matching_document,
                         a_page_only_pass_gives_the_same_page_and_counts_no_facets,
                         few_ties_gives_the_same_pages_as_ranking_ties_by_value,
                         docs_have_terms_reports_each_document_and_term,
                         results_outlive_their_database,
                         spelling_suggests_a_close_known_word,
                         compact_merges_databases);
}

FIXTURE_MAIN(shim_search_suite)
