/* test_bulk.c: bulk mode (indexer/bulk.c), through ns_index_run: several
 * shards give one database with every article; an id claimed in two shards
 * stays with the file first in processing order and the others fail naming
 * it; an interrupted build leaves the database as it was and its work for
 * the next run, which finishes it; all of that with shards rotating into
 * fresh databases. */
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
    tempdir_path(db, sizeof db, "db");
    tempdir_path(arts, sizeof arts, "arts");
    runfix_opts(&O, db);
    O.jobs = 3;
    tempdir_mkdir("arts");
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

/* Nine files d0..d8 with one id, indexed: the first added, eight failed. */
static void index_nine_with_one_id(ns_index_stats *st)
{
    char name[32];
    for (int i = 0; i < 9; i++) {
        snprintf(name, sizeof name, "arts/d%d.md", i);
        runfix_article(name, "dup", "The same id everywhere.");
    }
    run_index(st);
    ck_assert_uint_eq(st->added, 1);
    ck_assert_uint_eq(st->failed, 8);
    ck_assert_uint_eq(doccount(), 1);
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
    ns_index_stats st;
    index_nine_with_one_id(&st);
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

/* A shard past O.rotate files goes on in a fresh database: all of them are
 * merged, and a loser of a duplicate id is deleted from the full one that
 * holds it. */
START_TEST(rotated_databases_are_all_merged)
{
    char name[32], body[64];
    O.rotate = 2;
    for (int i = 0; i < 13; i++) {
        snprintf(name, sizeof name, "arts/r%02d.md", i);
        snprintf(body, sizeof body, "Rotation word%d.", i);
        runfix_article(name, NULL, body);
    }
    ns_index_stats st;
    run_index(&st);
    ck_assert_uint_eq(st.added, 13);
    ck_assert_uint_eq(doccount(), 13);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s%s", db, NS_INDEX_TMP_SUFFIX);
    struct stat sb;
    ck_assert_int_eq(stat(tmp, &sb), -1);
    ns_index_stats_clear(&st);
}
END_TEST

START_TEST(a_loser_in_a_full_database_is_deleted)
{
    O.rotate = 1;  /* each shard's first file ends up in a full database */
    ns_index_stats st;
    index_nine_with_one_id(&st);
    ns_index_stats_clear(&st);
}
END_TEST

/* Stops the run once `stop_after` files are done; the workers see it at the
 * engine's next check (every 50 ms), which the slow file below outlasts. */
static volatile sig_atomic_t stop_flag;
static size_t stop_after;
static void stop_on_progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    (void)total;
    if (done >= stop_after)
        stop_flag = 1;
}

START_TEST(an_interrupted_rotated_build_is_resumed)
{
    char name[32];
    O.jobs = 1;
    O.rotate = 3;
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof name, "arts/a%d.md", i);
        runfix_article(name, NULL, "Words before.");
    }
    /* m.md: long enough (1.7 MB, under the 2 MiB limit) to take far more
     * than 50 ms to index */
    char path[256];
    tempdir_path(path, sizeof path, "arts/m.md");
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("---\ntitle: \"Long\"\ndate: 2020-03-15\n---\n\n", f);
    for (int i = 0; i < 30000; i++)
        fprintf(f, "Paragraph words number w%d about models and more words.\n", i % 5000);
    ck_assert_int_eq(fclose(f), 0);
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "arts/z%d.md", i);
        runfix_article(name, NULL, "Words after.");
    }
    stop_flag = 0;
    stop_after = 8;  /* set as m.md starts */
    O.stop = &stop_flag;
    O.on_progress = stop_on_progress;
    ns_index_stats st;
    run_index(&st);
    ck_assert_int_eq(st.interrupted, 1);
    ck_assert_ptr_nonnull(st.tmpdir);
    char seg[600];
    struct stat sb;
    snprintf(seg, sizeof seg, "%s/shard-0.2", st.tmpdir);  /* the third database */
    ck_assert_int_eq(stat(seg, &sb), 0);
    ck_assert_int_eq(stat(db, &sb), -1);
    ns_index_stats_clear(&st);
    O.on_progress = NULL;
    stop_flag = 0;
    run_index(&st);
    ck_assert_int_eq(st.interrupted, 0);
    ck_assert_msg(st.added + st.unchanged == 13, "added %zu updated %zu unchanged %zu failed %zu: %s",
                  (size_t)st.added, (size_t)st.updated, (size_t)st.unchanged, (size_t)st.failed, reported);
    ck_assert_uint_ge(st.unchanged, 8);  /* the full databases' files were kept */
    ck_assert_uint_eq(doccount(), 13);
    ns_index_stats_clear(&st);
}
END_TEST

static Suite *bulk_suite(void)
{
    return FIXTURE_SUITE("bulk", "core", setup, tempdir_teardown, 60,
                         shards_are_merged_into_one_database,
                         an_id_in_two_shards_stays_with_the_first_file,
                         an_interrupted_build_is_resumed,
                         rotated_databases_are_all_merged,
                         a_loser_in_a_full_database_is_deleted,
                         an_interrupted_rotated_build_is_resumed);
}

FIXTURE_MAIN(bulk_suite)
