/* test_writer.c: one database being written (indexer/writer.c): a file
 * indexed under its id with its "file:" record, an unchanged one skipped, a
 * duplicate id refused with the owner named, a bad file reported and
 * counted, a removal deleting document and record, batches committed when
 * full. */
#define _XOPEN_SOURCE 700
#include "tempdir.h"
#include "runfix.h"
#include "fixture.h"
#include "schema.h"

#include <errno.h>
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
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_analyzer_new(&R.a, &err), 0);
    ck_assert_int_eq(ns_vendors_new(&R.v, R.a, &err), 0);
    W.a = R.a;  /* borrowed, as incremental mode does */
    W.batch = 1000;
    char db[256];
    tempdir_path(db, sizeof db, "db");
    ck_assert_msg(ns_xwdb_open(&W.w, db, NS_XWDB_CREATE_OR_OPEN, &err) == 0, "%s", err.msg);
}

static void teardown(void)
{
    W.a = NULL;
    ns_writer_free(&W);
    ns_run_free(&R);
    tempdir_teardown();
}

/* The record of tmpdir/name as the walk leaves it. */
static frec *found_file(const char *name)
{
    char key[300], path[300];
    snprintf(key, sizeof key, "%s\t%s", tmpdir, name);
    frec *r = NULL;
    ck_assert_int_eq(ns_frec_get(&R, key, strlen(key), strlen(tmpdir), &r), 0);
    r->seen = 1;
    tempdir_path(path, sizeof path, name);
    free(r->display);  /* found again: the same record */
    free(r->default_id);
    r->display = strdup(path);
    r->default_id = strndup(name, strlen(name) - 3);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    r->wsize = st.st_size;
    r->wmtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    return r;
}

static unsigned docs_with_id(const char *id)
{
    char term[128];
    snprintf(term, sizeof term, "%s%s", NS_PREFIX_ID, id);
    unsigned n = 0;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_xwdb_termfreq(W.w, term, strlen(term), &n, &err), 0);
    return n;
}

static char *file_meta(const frec *r)
{
    char key[400];
    snprintf(key, sizeof key, "%s%s", NS_META_FILE_PREFIX, r->key);
    char *val = NULL;
    size_t len = 0;
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_xwdb_get_metadata(W.w, key, &val, &len, &err), 0);
    return val;
}

START_TEST(a_file_is_indexed_under_its_id_then_skipped_when_unchanged)
{
    runfix_article("a.md", "alpha", "Models were trained on new hardware.");
    frec *r = found_file("a.md");
    ns_err err = { 0, "" };
    ck_assert_msg(ns_writer_process(&W, r, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(W.st.added, 1);
    ck_assert_int_eq(r->counted, 'a');
    ck_assert_str_eq(r->id, "alpha");
    ck_assert_uint_eq(docs_with_id("alpha"), 1);
    char *meta = file_meta(r), want[64];
    snprintf(want, sizeof want, "%lld %lld alpha", (long long)r->wsize, (long long)r->wmtime);
    ck_assert_str_eq(meta, want);
    free(meta);
    ck_assert_uint_eq(W.pending, 1);
    ck_assert_int_eq(W.in_txn, 1);
    ck_assert_msg(ns_writer_process(&W, r, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(W.st.unchanged, 1);
    ck_assert_uint_eq(W.pending, 1);
    ck_assert_str_eq(reported, "");
}
END_TEST

START_TEST(a_second_file_with_the_id_fails_naming_the_first)
{
    runfix_article("a.md", "same", "First.");
    runfix_article("b.md", "same", "Second.");
    frec *a = found_file("a.md"), *b = found_file("b.md");
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_writer_process(&W, a, &err), 0);
    ck_assert_int_eq(ns_writer_process(&W, b, &err), 0);
    ck_assert_uint_eq(W.st.added, 1);
    ck_assert_uint_eq(W.st.failed, 1);
    ck_assert_ptr_null(b->id);
    char want[600];
    snprintf(want, sizeof want, "E %s: id 'same' is already used by %s\n", b->display, a->display);
    ck_assert_str_eq(reported, want);
}
END_TEST

START_TEST(a_bad_file_is_reported_and_counted_not_an_error)
{
    runfix_write("bad.md", "no front matter at all\n");
    frec *r = found_file("bad.md");
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_writer_process(&W, r, &err), 0);
    ck_assert_uint_eq(W.st.failed, 1);
    ck_assert_uint_eq(W.pending, 0);
    ck_assert_msg(strncmp(reported, "E ", 2) == 0 && strstr(reported, "bad.md: "), "%s", reported);
    reported[0] = '\0';
    frec *u = found_file("bad.md");
    u->stat_errno = EACCES;
    ck_assert_int_eq(ns_writer_process(&W, u, &err), 0);
    ck_assert_msg(strstr(reported, ": cannot read: Permission denied\n") != NULL, "%s", reported);
}
END_TEST

START_TEST(a_removal_deletes_document_and_record)
{
    runfix_article("a.md", "gone", "Soon deleted.");
    frec *r = found_file("a.md");
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_writer_process(&W, r, &err), 0);
    ck_assert_uint_eq(docs_with_id("gone"), 1);
    ck_assert_int_eq(ns_writer_remove(&W, r, &err), 0);
    ck_assert_uint_eq(docs_with_id("gone"), 0);
    ck_assert_ptr_null(r->id);
    ck_assert_ptr_null(ns_hmap_get(&W.by_id, "gone", 4));
    char *meta = file_meta(r);
    ck_assert(meta == NULL || *meta == '\0');
    free(meta);
    ck_assert_uint_eq(W.st.removed, 1);
}
END_TEST

START_TEST(a_full_batch_is_committed)
{
    W.batch = 2;
    runfix_article("a.md", "a", "One.");
    runfix_article("b.md", "b", "Two.");
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_writer_process(&W, found_file("a.md"), &err), 0);
    ck_assert_int_eq(ns_writer_commit(&W, 0, &err), 0);
    ck_assert_int_eq(W.in_txn, 1);
    ck_assert_int_eq(ns_writer_process(&W, found_file("b.md"), &err), 0);
    ck_assert_int_eq(ns_writer_commit(&W, 0, &err), 0);
    ck_assert_int_eq(W.in_txn, 0);
    ck_assert_uint_eq(W.pending, 0);
    ck_assert_uint_eq(W.spell.n, 0);  /* incremental: spelling words go with the batch */
}
END_TEST

START_TEST(the_schema_version_is_checked_by_its_bytes)
{
    char want[16];
    snprintf(want, sizeof want, "%d", NS_SCHEMA_VERSION);
    ck_assert_int_eq(ns_writer_schema_ok(want, strlen(want)), 1);
    char longer[20];
    snprintf(longer, sizeof longer, "%s0", want);
    ck_assert_int_eq(ns_writer_schema_ok(longer, strlen(longer)), 0);
    ck_assert_int_eq(ns_writer_schema_ok("0", 1), 0);
    ck_assert_int_eq(ns_writer_schema_ok("", 0), 0);
}
END_TEST

static Suite *writer_suite(void)
{
    return FIXTURE_SUITE("writer", "core", setup, teardown, 60,
                         a_file_is_indexed_under_its_id_then_skipped_when_unchanged,
                         a_second_file_with_the_id_fails_naming_the_first,
                         a_bad_file_is_reported_and_counted_not_an_error,
                         a_removal_deletes_document_and_record,
                         a_full_batch_is_committed,
                         the_schema_version_is_checked_by_its_bytes);
}

FIXTURE_MAIN(writer_suite)
