/* test_setup.c: what a run settles before it walks (indexer/setup.c): PATHs
 * that exist, a database outside them, the writer lock held for the run, and
 * the mode: bulk for a new database, incremental for one with articles. */
#define _XOPEN_SOURCE 700
#include "tempdir.h"
#include "runfix.h"
#include "fixture.h"
#include "dbpath.h"

#include <stdlib.h>
#include <string.h>

static run R;
static ns_index_opts O;
static ns_index_stats ST;
static char db[256], arts[256];

static void setup(void)
{
    tempdir_setup();
    tempdir_path(db, sizeof db, "db");
    tempdir_path(arts, sizeof arts, "arts");
    runfix_opts(&O, db);
    memset(&ST, 0, sizeof ST);
    ns_run_init(&R, &O, &ST);
}

static void teardown(void)
{
    ns_run_free(&R);
    tempdir_teardown();
}

/* Resolve the database path of R as ns_index_run does. */
static void resolve(run *r)
{
    ns_err err = { 0, "" };
    ck_assert_msg(ns_dbpath_resolve(&r->db, r->o->db_path, r->o->db_path, &err) == 0, "%s", err.msg);
    size_t n = strlen(r->db) + strlen(NS_INDEX_TMP_SUFFIX) + 1;
    ck_assert_ptr_nonnull(r->tmpdir = malloc(n));
    snprintf(r->tmpdir, n, "%s%s", r->db, NS_INDEX_TMP_SUFFIX);
}

START_TEST(a_path_that_does_not_exist_is_named)
{
    const char *paths[] = { arts };
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_setup_roots(&R, paths, 1, &err), NS_ENOTFOUND);
    char want[300];
    snprintf(want, sizeof want, "'%s': No such file or directory", arts);
    ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(a_database_inside_the_articles_is_refused)
{
    tempdir_mkdir("arts");
    tempdir_path(db, sizeof db, "arts/db");
    const char *paths[] = { arts };
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_setup_roots(&R, paths, 1, &err), 0);
    resolve(&R);
    ck_assert_int_eq(ns_setup_check_overlap(&R, &err), NS_EINVAL);
    ck_assert_msg(strstr(err.msg, "choose a --db outside the articles") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(a_new_database_is_built_under_the_lock_of_its_temporary_directory)
{
    resolve(&R);
    ns_err err = { 0, "" };
    ck_assert_msg(ns_setup_lock(&R, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(R.bulk, 1);
    ck_assert_int_eq(R.db_existed, 0);
    ck_assert_ptr_nonnull(R.lockw);
    ck_assert_int_eq(ns_dbpath_tmp_marked(R.tmpdir), 1);
    /* a second run waits for nobody: it is refused */
    run R2;
    ns_index_stats st2;
    ns_run_init(&R2, &O, &st2);
    resolve(&R2);
    ck_assert_int_eq(ns_setup_lock(&R2, &err), NS_ELOCKED);
    char want[300];
    snprintf(want, sizeof want, "database '%s' is locked by another writer", db);
    ck_assert_str_eq(err.msg, want);
    ns_run_free(&R2);
}
END_TEST

START_TEST(a_database_with_articles_is_updated_in_place)
{
    tempdir_mkdir("arts");
    runfix_article("arts/a.md", "a", "Words.");
    const char *paths[] = { arts };
    ns_err err = { 0, "" };
    ns_index_stats st;
    ck_assert_msg(ns_index_run(&O, paths, 1, &st, &err) == 0, "%s", err.msg);
    resolve(&R);
    ck_assert_msg(ns_setup_lock(&R, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(R.bulk, 0);
    ck_assert_int_eq(R.db_existed, 1);
}
END_TEST

static Suite *setup_suite(void)
{
    return FIXTURE_SUITE("setup", "core", setup, teardown, 60,
                         a_path_that_does_not_exist_is_named,
                         a_database_inside_the_articles_is_refused,
                         a_new_database_is_built_under_the_lock_of_its_temporary_directory,
                         a_database_with_articles_is_updated_in_place);
}

FIXTURE_MAIN(setup_suite)
