/* test_filerec.c: the records of article files (indexer/filerec.c): one per
 * key, its path from the key, the "file:" metadata read back into records
 * (incremental) or into a resumed shard's records and stale entries (bulk),
 * and whether a recorded file is gone. */
#define _XOPEN_SOURCE 700
#include "tempdir.h"
#include "runfix.h"
#include "fixture.h"
#include "schema.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static run R;
static ns_index_opts O;
static ns_index_stats ST;
static writer W;

static void setup(void)
{
    runfix_run(&R, &O, &ST, &W);
}

static void teardown(void)
{
    ns_hmap_free(&W.by_id);
    for (size_t i = 0; i < W.nstale; i++)
        free(W.stale[i]);
    free(W.stale);
    ns_run_free(&R);
    tempdir_teardown();
}

/* Feed one metadata entry to fn as ns_xwdb_metadata_each would. */
static int feed(int (*fn)(void *, const char *, size_t, const char *, size_t), const char *key,
                const char *val)
{
    return fn(&W, key, strlen(key), val, strlen(val));
}

START_TEST(one_record_per_key_with_its_path)
{
    frec *a = NULL, *b = NULL, *c = NULL;
    ck_assert_int_eq(ns_frec_get(&R, "/arch\ten/x.md", 13, 5, &a), 0);
    ck_assert_str_eq(a->path, "/arch/en/x.md");
    ck_assert_str_eq(ns_frec_rel(a), "en/x.md");
    ck_assert_ptr_null(a->id);
    ck_assert_int_eq(ns_frec_get(&R, "/arch\ten/x.md", 13, SIZE_MAX, &b), 0);
    ck_assert_ptr_eq(a, b);
    ck_assert_int_eq(ns_frec_get(&R, "/\tx.md", 6, SIZE_MAX, &c), 0);
    ck_assert_str_eq(c->path, "/x.md");  /* the root "/" adds no slash */
    ck_assert_uint_eq(R.nrecs, 2);
    ck_assert_int_eq(ns_frec_get(&R, "/no-tab", 7, SIZE_MAX, &c), NS_EINVAL);
    ck_assert_uint_eq(R.nrecs, 2);
    ck_assert_str_eq(ns_frec_display(a), "/arch/en/x.md");
}
END_TEST

START_TEST(file_entries_become_records_and_malformed_ones_are_ignored)
{
    ck_assert_int_eq(feed(ns_frec_load, "file:/arch\ta.md", "12 34 my-id"), 0);
    ck_assert_int_eq(feed(ns_frec_load, "file:/arch\tb.md", "12 x"), 0);
    ck_assert_int_eq(feed(ns_frec_load, "file:/arch\tc.md", "12 34 "), 0);
    ck_assert_int_eq(feed(ns_frec_load, "file:no-tab", "1 2 id"), 0);
    ck_assert_int_eq(feed(ns_frec_load, "file:/arch\td.md", ""), 0);
    ck_assert_uint_eq(R.nrecs, 1);
    frec *r = R.recs[0];
    ck_assert_str_eq(r->key, "/arch\ta.md");
    ck_assert_str_eq(r->id, "my-id");
    ck_assert_int_eq(r->size, 12);
    ck_assert_int_eq(r->mtime, 34);
    ck_assert_ptr_eq(ns_hmap_get(&W.by_id, "my-id", 5), r);
    ck_assert_int_eq(R.meta_rc, 0);
}
END_TEST

START_TEST(a_resumed_shard_keeps_its_files_records_and_marks_the_rest_stale)
{
    frec *mine = NULL, *other = NULL;
    ck_assert_int_eq(ns_frec_get(&R, "/arch\ta.md", 10, SIZE_MAX, &mine), 0);
    ck_assert_int_eq(ns_frec_get(&R, "/arch\tb.md", 10, SIZE_MAX, &other), 0);
    mine->display = strdup("arch/a.md");
    other->display = strdup("arch/b.md");
    W.k = 1;
    mine->shard = 1;
    other->shard = 0;  /* given to another shard in this run */
    ck_assert_int_eq(feed(ns_frec_load_shard, "file:/arch\ta.md", "5 6 ida"), 0);
    ck_assert_int_eq(feed(ns_frec_load_shard, "file:/arch\tb.md", "7 8 idb"), 0);
    ck_assert_int_eq(feed(ns_frec_load_shard, "file:/arch\tgone.md", "7 8 idg"), 0);
    ck_assert_str_eq(mine->id, "ida");
    ck_assert_int_eq(mine->size, 5);
    ck_assert_ptr_null(other->id);
    ck_assert_uint_eq(W.nstale, 2);
    ck_assert_str_eq(W.stale[0], "file:/arch\tb.md");
    ck_assert_str_eq(W.stale[0] + strlen(W.stale[0]) + 1, "idb");
    ck_assert_str_eq(W.stale[1] + strlen(W.stale[1]) + 1, "idg");
}
END_TEST

START_TEST(a_record_is_gone_only_when_its_file_does_not_exist)
{
    runfix_write("here.md", "x");
    char key[300];
    snprintf(key, sizeof key, "%s\there.md", tmpdir);
    frec *here = NULL, *gone = NULL;
    ck_assert_int_eq(ns_frec_get(&R, key, strlen(key), strlen(tmpdir), &here), 0);
    snprintf(key, sizeof key, "%s\tno/such.md", tmpdir);
    ck_assert_int_eq(ns_frec_get(&R, key, strlen(key), strlen(tmpdir), &gone), 0);
    ck_assert_int_eq(ns_frec_gone(here), 0);
    ck_assert_int_eq(ns_frec_gone(gone), 1);
    runfix_write("no", "a file where a folder was");  /* ENOTDIR: gone too */
    gone->gone = 0;
    ck_assert_int_eq(ns_frec_gone(gone), 1);
}
END_TEST

static Suite *filerec_suite(void)
{
    return FIXTURE_SUITE("filerec", "core", setup, teardown, 0,
                         one_record_per_key_with_its_path,
                         file_entries_become_records_and_malformed_ones_are_ignored,
                         a_resumed_shard_keeps_its_files_records_and_marks_the_rest_stale,
                         a_record_is_gone_only_when_its_file_does_not_exist);
}

FIXTURE_MAIN(filerec_suite)
