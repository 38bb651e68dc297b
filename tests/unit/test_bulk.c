/* test_bulk.c: bulk mode (indexer/bulk.c), through ns_index_run: several
 * shards give one database with every article; an id claimed in two shards
 * stays with the file first in processing order and the others fail naming
 * it; an interrupted build leaves the database as it was and its work for
 * the next run, which finishes it. */
#define _XOPEN_SOURCE 700
#include "tempdir.h"
#include "runfix.h"
#include "fixture.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static ns_index_opts O;
static char db[256], arts[256];

static void setup(void)
{
    tempdir_setup();
    runfix_path(db, sizeof db, "db");
    runfix_path(arts, sizeof arts, "arts");
    runfix_opts(&O, db);
    O.jobs = 3;
    runfix_mkdir("arts");
}

static unsigned doccount(void)
{
    ns_xdb *x = NULL;
    ns_err err = { 0, "" };
    ck_assert_msg(ns_xdb_open(&x, db, &err) == 0, "%s", err.msg);
    unsigned n = 0;
    ck_assert_int_eq(ns_xdb_doccount(x, &n, &err), 0);
    ns_xdb_free(x);
    return n;
}

static int run_index(ns_index_stats *st)
{
    const char *paths[] = { arts };
    ns_err err = { 0, "" };
    int rc = ns_index_run(&O, paths, 1, st, &err);
    ck_assert_msg(rc == 0, "%s", err.msg);
    return rc;
}

START_TEST(shards_are_merged_into_one_database)
{
    char name[32];
    for (int i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "arts/a%02d.md", i);
        runfix_article(name, NULL, "Shared words about models.");
    }
    ns_index_stats st;
    run_index(&st);
    ck_assert_int_eq(st.bulk, 1);
    ck_assert_uint_eq(st.added, 12);
    ck_assert_uint_eq(st.failed, 0);
    ck_assert_uint_eq(doccount(), 12);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s%s", db, NS_INDEX_TMP_SUFFIX);
    struct stat sb;
    ck_assert_int_eq(stat(tmp, &sb), -1);  /* the temporary directory is gone */
    ns_index_stats_clear(&st);
}
END_TEST

START_TEST(an_id_in_two_shards_stays_with_the_first_file)
{
    char name[32];
    for (int i = 0; i < 9; i++) {
        snprintf(name, sizeof name, "arts/d%d.md", i);
        runfix_article(name, "dup", "The same id everywhere.");
    }
    ns_index_stats st;
    run_index(&st);
    ck_assert_uint_eq(st.added, 1);
    ck_assert_uint_eq(st.failed, 8);
    ck_assert_uint_eq(doccount(), 1);
    /* eight lines, in processing order, each naming d0.md */
    char want[8192] = "";
    for (int i = 1; i < 9; i++) {
        size_t used = strlen(want);
        snprintf(want + used, sizeof want - used, "E %s/d%d.md: id 'dup' is already used by %s/d0.md\n",
                 arts, i, arts);
    }
    ck_assert_str_eq(reported, want);
    ns_index_stats_clear(&st);
}
END_TEST

START_TEST(an_interrupted_build_is_resumed)
{
    for (int i = 0; i < 6; i++) {
        char name[32];
        snprintf(name, sizeof name, "arts/a%d.md", i);
        runfix_article(name, NULL, "Words.");
    }
    volatile sig_atomic_t stop = 1;
    O.stop = &stop;
    ns_index_stats st;
    run_index(&st);
    ck_assert_int_eq(st.interrupted, 1);
    ck_assert_ptr_nonnull(st.tmpdir);
    struct stat sb;
    ck_assert_int_eq(stat(db, &sb), -1);  /* nothing swapped in */
    ck_assert_int_eq(stat(st.tmpdir, &sb), 0);
    ns_index_stats_clear(&st);
    stop = 0;
    run_index(&st);
    ck_assert_int_eq(st.interrupted, 0);
    ck_assert_uint_eq(st.added + st.unchanged, 6);
    ck_assert_uint_eq(doccount(), 6);
    ck_assert_ptr_null(st.tmpdir);
}
END_TEST

static Suite *bulk_suite(void)
{
    Suite *s = suite_create("bulk");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, tempdir_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, shards_are_merged_into_one_database);
    tcase_add_test(tc, an_id_in_two_shards_stays_with_the_first_file);
    tcase_add_test(tc, an_interrupted_build_is_resumed);
    suite_add_tcase(s, tc);
    return s;
}

FIXTURE_MAIN(bulk_suite)
