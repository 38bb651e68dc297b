/* test_search.c: how many passes over the index a kind of query costs
 * (ns_searcher_passes), with the totals and facet counts those passes give.
 * Each pass visits every match of its query, so a pass added where none is
 * needed (a relaxed query when the page is already full, a disjunctive pass
 * without a filter of that kind) slows every such query without changing
 * any answer: only a count like this notices. Not a timed test. Each test
 * indexes a small archive in its own mkdtemp directory. */
#define _XOPEN_SOURCE 700
#include "indexer.h"
#include "search.h"
#include "tempdir.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void write_article(int i, int month, const char *vendor, const char *body)
{
    char path[160];
    snprintf(path, sizeof path, "%s/articles/a%02d.md", tmpdir, i);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "---\ntitle: \"Note %d\"\ndate: 2020-%02d-15\nlang: en\nvendors: [%s]\n---\n\n%s\n",
            i, month, vendor, body);
    ck_assert_int_eq(fclose(f), 0);
}

/* 1-12 say "model" (1-3 also "hardware", 4-6 also "alpha beta"), 13-14
 * only "hardware"; 1-5 are Google's, the rest OpenAI's; 1-6 of 2020-01,
 * the rest of 2020-02. */
static ns_searcher *open_archive(void)
{
    char dir[128], db[128];
    tempdir_mkdir("articles");
    tempdir_path(dir, sizeof dir, "articles");
    for (int i = 1; i <= 14; i++) {
        const char *body = i <= 3    ? "The model runs on new hardware."
                           : i <= 6  ? "The model alpha beta."
                           : i <= 12 ? "The model was released."
                                     : "New hardware was released.";
        write_article(i, i <= 6 ? 1 : 2, i <= 5 ? "Google" : "OpenAI", body);
    }
    tempdir_path(db, sizeof db, "db");
    ns_index_opts o = NS_INDEX_OPTS_INIT;
    o.db_path = db;
    o.jobs = 1;
    ns_index_stats st;
    memset(&st, 0, sizeof st);
    ns_err err = { 0, "" };
    const char *paths[] = { dir };
    ck_assert_msg(ns_index_run(&o, paths, 1, &st, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.failed, 0);
    ns_searcher *s = NULL;
    ck_assert_msg(ns_searcher_open(&s, db, &err) == 0, "%s", err.msg);
    return s;
}

/* Search q with facets; *passes: the passes it took. */
static ns_results *search(ns_searcher *s, const char *q, unsigned long *passes)
{
    ns_search_opts o = NS_SEARCH_OPTS_INIT;
    o.facets = 1;
    ns_results *r = NULL;
    ns_err err = { 0, "" };
    unsigned long before = ns_searcher_passes(s);
    ck_assert_msg(ns_search(s, q, strlen(q), &o, &r, &err) == 0, "%s: %s", q, err.msg);
    *passes = ns_searcher_passes(s) - before;
    return r;
}

/* The vendor counts as "Name=n;..." */
static void vendors_str(const ns_results *r, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < r->nvendor_facets; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s=%u;", r->vendor_facets[i].name,
                 r->vendor_facets[i].count);
    }
}

START_TEST(a_full_page_takes_one_pass)
{
    ns_searcher *s = open_archive();
    unsigned long n;
    ns_results *r = search(s, "model", &n);
    ck_assert_uint_eq(r->total, 12);
    ck_assert_uint_eq(r->nhits, 10);
    ck_assert_uint_eq(n, 1); /* no relaxed query: the page is full */
    char v[128];
    vendors_str(r, v, sizeof v);
    ck_assert_str_eq(v, "OpenAI=7;Google=5;");
    ns_results_free(r);
    ns_searcher_close(s);
}
END_TEST

START_TEST(a_page_filled_by_partial_matches_takes_three_passes)
{
    ns_searcher *s = open_archive();
    unsigned long n;
    ns_results *r = search(s, "model hardware", &n);
    /* the strict query, then the relaxed query's counts and its page */
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(r->total_all, 3);
    ck_assert_uint_eq(r->total, 14); /* every article with either word */
    ck_assert_uint_eq(r->nhits, 10);
    for (size_t i = 0; i < r->nhits; i++)
        ck_assert_int_eq(r->hits[i].partial, i >= 3);
    char v[128];
    vendors_str(r, v, sizeof v); /* over the 14, not over the page or the 3 */
    ck_assert_str_eq(v, "OpenAI=9;Google=5;");
    ns_results_free(r);
    ns_searcher_close(s);
}
END_TEST

START_TEST(a_relaxed_query_that_finds_no_more_takes_no_page_pass)
{
    ns_searcher *s = open_archive();
    unsigned long n;
    ns_results *r = search(s, "alpha beta", &n);
    ck_assert_uint_eq(n, 2); /* the strict query, the relaxed query's counts */
    ck_assert_uint_eq(r->total, 3);
    ck_assert_uint_eq(r->total_all, 3);
    ck_assert_int_eq(r->relaxed, 0);
    ck_assert_int_eq(r->hits[2].partial, 0);
    ns_results_free(r);
    ns_searcher_close(s);
}
END_TEST

START_TEST(a_vendor_filter_takes_one_disjunctive_pass)
{
    ns_searcher *s = open_archive();
    unsigned long n;
    ns_results *r = search(s, "model vendor:Google", &n);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(r->total, 5);
    ck_assert_int_eq(r->vendor_disjunctive, 1);
    ck_assert_int_eq(r->month_disjunctive, 0);
    char v[128];
    vendors_str(r, v, sizeof v); /* over "model" without the filter */
    ck_assert_str_eq(v, "OpenAI=7;Google=5;");
    ns_results_free(r);

    /* only filters: the counts over every article, kept for the next one */
    r = search(s, "vendor:Google", &n);
    ck_assert_uint_eq(n, 2);
    vendors_str(r, v, sizeof v);
    ck_assert_str_eq(v, "OpenAI=9;Google=5;");
    ns_results_free(r);
    r = search(s, "vendor:Google", &n);
    ck_assert_uint_eq(n, 1);
    ns_results_free(r);
    ns_searcher_close(s);
}
END_TEST

START_TEST(a_relaxed_query_with_both_filters_counts_each_kind_once)
{
    ns_searcher *s = open_archive();
    unsigned long n;
    ns_results *r = search(s, "model hardware vendor:Google month:2020-01", &n);
    /* strict; relaxed counts and page; one disjunctive pass per kind */
    ck_assert_uint_eq(n, 5);
    ck_assert_uint_eq(r->total_all, 3);
    ck_assert_uint_eq(r->total, 5);
    ck_assert_int_eq(r->vendor_disjunctive, 1);
    ck_assert_int_eq(r->month_disjunctive, 1);
    char v[128];
    vendors_str(r, v, sizeof v); /* model or hardware, of 2020-01, any vendor */
    ck_assert_str_eq(v, "Google=5;OpenAI=1;");
    ck_assert_uint_eq(r->nmonth_facets, 1); /* model or hardware, Google's, any month */
    ck_assert_str_eq(r->month_facets[0].name, "2020-01");
    ck_assert_uint_eq(r->month_facets[0].count, 5);
    ns_results_free(r);
    ns_searcher_close(s);
}
END_TEST

/* The searcher reads whether the database has stories once per state of
 * it: a commit that brings the first story must still be seen by a
 * searcher that searched before it (with stories, a story's two articles
 * count once). */
START_TEST(a_commit_that_brings_stories_is_seen_by_an_open_searcher)
{
    ns_searcher *s = open_archive();
    ns_search_opts o = NS_SEARCH_OPTS_INIT;
    o.stories = 1;
    ns_results *r = NULL;
    ns_err err = { 0, "" };
    ck_assert_msg(ns_search(s, "model", 5, &o, &r, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(r->total, 12);
    ns_results_free(r);

    char path[160], dir[128], db[128];
    snprintf(path, sizeof path, "%s/articles/r07.md", tmpdir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "---\ntitle: \"Заметка 7\"\ndate: 2020-02-15\nlang: ru\ntranslation_of: a07\n"
               "---\n\nThe model was released.\n");
    ck_assert_int_eq(fclose(f), 0);
    tempdir_path(dir, sizeof dir, "articles");
    tempdir_path(db, sizeof db, "db");
    ns_index_opts io = NS_INDEX_OPTS_INIT;
    io.db_path = db;
    io.jobs = 1;
    ns_index_stats st;
    memset(&st, 0, sizeof st);
    const char *paths[] = { dir };
    ck_assert_msg(ns_index_run(&io, paths, 1, &st, &err) == 0, "%s", err.msg);

    ck_assert_msg(ns_search(s, "model", 5, &o, &r, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(r->total_articles, 13);
    ck_assert_uint_eq(r->total, 12); /* a07 and its translation: one story */
    ns_results_free(r);
    ns_searcher_close(s);
}
END_TEST

START_TEST(passes_of_a_NULL_searcher_are_0)
{
    ck_assert_uint_eq(ns_searcher_passes(NULL), 0);
}
END_TEST

static Suite *search_suite(void)
{
    return FIXTURE_SUITE("search", "passes", tempdir_setup, tempdir_teardown, 60,
                         a_full_page_takes_one_pass,
                         a_page_filled_by_partial_matches_takes_three_passes,
                         a_relaxed_query_that_finds_no_more_takes_no_page_pass,
                         a_vendor_filter_takes_one_disjunctive_pass,
                         a_relaxed_query_with_both_filters_counts_each_kind_once,
                         a_commit_that_brings_stories_is_seen_by_an_open_searcher,
                         passes_of_a_NULL_searcher_are_0);
}

FIXTURE_MAIN(search_suite)
