/* test_shim.c: the C shim over Xapian (src/xapian_shim.h): opening, every
 * error path a caller can hit, terms, writing, transactions and metadata
 * (queries, ranking and facets: test_shim_search.c). Each test works in its
 * own mkdtemp directory, removed afterwards. */
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

/* ---- opening and errors ---- */

START_TEST(open_missing_db_returns_NS_ENOTFOUND)
{
    ns_err err = { 0, "" };
    char *path = tpath("nope");
    ns_xdb *db = (ns_xdb *)1;
    ck_assert_int_eq(ns_xdb_open(&db, path, &err), NS_ENOTFOUND);
    ck_assert_ptr_null(db);
    ck_assert_int_eq(err.code, NS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    free(path);
}
END_TEST

START_TEST(open_directory_that_is_not_a_db_returns_NS_ENOTFOUND_naming_it)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    /* Xapian says "Couldn't detect type of database" (DatabaseNotFoundError). */
    ck_assert_int_eq(ns_xdb_open(&db, tmpdir, &err), NS_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, tmpdir));
}
END_TEST

static void overwrite(const char *dir, const char *file)
{
    char *p = malloc(strlen(dir) + strlen(file) + 2);
    ck_assert_ptr_nonnull(p);
    sprintf(p, "%s/%s", dir, file);
    int fd = open(p, O_WRONLY | O_TRUNC);
    ck_assert_int_ge(fd, 0);
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 13);
    ck_assert_int_eq(write(fd, junk, sizeof junk), (int)sizeof junk);
    close(fd);
    free(p);
}

START_TEST(garbage_postlist_gives_NS_ECORRUPT)
{
    char *path = new_db(corpus, NULL, NULL);
    overwrite(path, "postlist.glass");
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    /* Glass keeps the table roots in iamglass, so opening may succeed and
     * the damage show only when the posting lists are read. */
    int rc = ns_xdb_open(&db, path, &err);
    if (rc == 0) {
        ns_xquery *q = term_q("quick");
        ns_xresults *r = NULL;
        rc = ns_xsearch(db, q, NULL, &r, &err);
        ck_assert_ptr_null(r);
        ns_xquery_free(q);
    }
    ck_assert_int_eq(rc, NS_ECORRUPT);
    ck_assert_int_eq(err.code, NS_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(garbage_version_file_gives_NS_ECORRUPT_on_open)
{
    char *path = new_db(corpus, NULL, NULL);
    overwrite(path, "iamglass");
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    ck_assert_int_eq(ns_xdb_open(&db, path, &err), NS_ECORRUPT);
    ck_assert_ptr_null(db);
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    ns_xwdb *w = NULL;
    ck_assert_int_eq(ns_xwdb_open(&w, path, NS_XWDB_CREATE_OR_OPEN, &err), NS_ECORRUPT);
    ck_assert_ptr_null(w);
    /* --rebuild must still work on a corrupt database. */
    ck_assert_msg(ns_xwdb_open(&w, path, NS_XWDB_OVERWRITE, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(wcount(w), 0);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(open_existing_only_never_creates)
{
    ns_err err = { 0, "" };
    char *path = tpath("missing");
    ns_xwdb *w = NULL;
    ck_assert_int_eq(ns_xwdb_open(&w, path, NS_XWDB_OPEN, &err), NS_ENOTFOUND);
    ck_assert_ptr_null(w);
    ck_assert_int_eq(access(path, F_OK), -1);
    /* an empty directory is not a database either (though Xapian leaves
     * its lock file in it: nindex classifies a path before opening it) */
    ck_assert_int_eq(mkdir(path, 0777), 0);
    ck_assert_int_eq(ns_xwdb_open(&w, path, NS_XWDB_OPEN, &err), NS_ENOTFOUND);
    ck_assert_ptr_null(w);
    free(path);
    path = new_db(corpus, NULL, NULL);
    ck_assert_msg(ns_xwdb_open(&w, path, NS_XWDB_OPEN, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(wcount(w), 5);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(set_data_replaces_only_the_data)
{
    ns_err err = { 0, "" };
    char *path = new_db(corpus, NULL, NULL);
    ns_xwdb *w = NULL;
    ck_assert_int_eq(ns_xwdb_open(&w, path, NS_XWDB_OPEN, &err), 0);
    char *data = NULL;
    size_t len = 9;
    ck_assert_int_eq(ns_xwdb_get_data(w, "Qb", 2, &data, &len, &err), 0);
    ck_assert_uint_eq(len, 1);
    ck_assert_str_eq(data, "b");
    free(data);
    ck_assert_int_eq(ns_xwdb_set_data(w, "Qb", 2, "bee", 3, &err), 0);
    ck_assert_int_eq(ns_xwdb_get_data(w, "Qzz", 3, &data, &len, &err), NS_ENOTFOUND);
    ck_assert_ptr_null(data);
    ck_assert_int_eq(ns_xwdb_set_data(w, "Qzz", 3, "x", 1, &err), NS_ENOTFOUND);
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ns_xwdb_free(w);

    ns_xdb *db = open_reader(path);
    ns_xquery *q = term_q("fox");
    check_run(db, q, NULL, "bee,a", 2); /* terms kept */
    ns_xquery_free(q);
    q = term_q("quick");
    unsigned total = 0;
    char *got = run(db, q, NULL, &total);
    ck_assert_uint_eq(total, 3);
    free(got);
    ns_xquery_free(q);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(second_writer_returns_NS_ELOCKED_until_first_closes)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    ns_xwdb *w2 = (ns_xwdb *)1;
    /* Xapian holds the lock in a child process, so even this same process
     * cannot take it twice. */
    ck_assert_int_eq(ns_xwdb_open(&w2, path, NS_XWDB_CREATE_OR_OPEN, &err), NS_ELOCKED);
    ck_assert_ptr_null(w2);
    ck_assert_ptr_nonnull(strstr(err.msg, "locked"));
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    /* A reader is not blocked by the writer. */
    ns_xdb *db = open_reader(path);
    ns_xdb_free(db);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ck_assert_msg(ns_xwdb_open(&w2, path, NS_XWDB_CREATE_OR_OPEN, &err) == 0, "%s", err.msg);
    ns_xwdb_free(w2);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(reader_use_after_close_returns_NS_ECLOSED)
{
    ns_err err = { 0, "" };
    ns_xdb *db = NULL;
    char *path = new_db(corpus, NULL, &db);
    ck_assert_int_eq(ns_xdb_close(db, &err), 0);
    unsigned n;
    ck_assert_int_eq(ns_xdb_doccount(db, &n, &err), NS_ECLOSED);
    ck_assert_ptr_nonnull(strstr(err.msg, "closed"));
    ck_assert_int_eq(ns_xdb_termfreq(db, "fox", 3, &n, &err), NS_ECLOSED);
    int changed;
    ck_assert_int_eq(ns_xdb_reopen(db, &changed, &err), NS_ECLOSED);
    char *val;
    size_t len;
    ck_assert_int_eq(ns_xdb_get_metadata(db, "k", &val, &len, &err), NS_ECLOSED);
    ck_assert_int_eq(ns_xdb_spelling(db, "fox", 3, &val, &err), NS_ECLOSED);
    ns_xquery *q = term_q("fox");
    ns_xresults *r = NULL;
    ck_assert_int_eq(ns_xsearch(db, q, NULL, &r, &err), NS_ECLOSED);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(ns_xdb_close(db, &err), 0); /* closing twice is harmless */
    ns_xquery_free(q);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(writer_use_after_close_returns_NS_ECLOSED)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xdoc *d = NULL;
    ck_assert_int_eq(ns_xdoc_new(&d, &err), 0);
    ck_assert_int_eq(ns_xwdb_replace(w, "Qx", 2, d, &err), NS_ECLOSED);
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    ck_assert_int_eq(ns_xwdb_delete(w, "Qx", 2, &err), NS_ECLOSED);
    ck_assert_int_eq(ns_xwdb_begin(w, &err), NS_ECLOSED);
    ck_assert_int_eq(ns_xwdb_commit(w, &err), NS_ECLOSED);
    ck_assert_int_eq(ns_xwdb_cancel(w, &err), NS_ECLOSED);
    unsigned n;
    ck_assert_int_eq(ns_xwdb_doccount(w, &n, &err), NS_ECLOSED);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "k", "v", 1, &err), NS_ECLOSED);
    ck_assert_int_eq(ns_xwdb_add_spelling(w, "fox", 3, 1, &err), NS_ECLOSED);
    ns_xdoc_free(d);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(reader_of_overwritten_revision_gets_NS_EMODIFIED_then_reopen_helps)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    char id[16], text[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(id, sizeof id, "%d", i);
        add_doc(w, id, "hello start", NULL, NULL);
    }
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ns_xdb *db = open_reader(path);
    ns_xquery *q = term_q("hello");
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    ns_xresults *r = NULL;
    /* Glass keeps only recent revisions: after a few commits that rewrite
     * every document, the blocks of the reader's revision are reused. (The
     * reader must not read in between, or it works from cached blocks.) */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++) {
            snprintf(id, sizeof id, "%d", i);
            snprintf(text, sizeof text, "hello r%d", round);
            add_doc(w, id, text, NULL, NULL);
        }
        ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    }
    int rc = ns_xsearch(db, q, &o, &r, &err);
    ck_assert_int_eq(rc, NS_EMODIFIED);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    int changed = 0;
    ck_assert_int_eq(ns_xdb_reopen(db, &changed, &err), 0);
    ck_assert_int_eq(changed, 1);
    ck_assert_msg(ns_xsearch(db, q, &o, &r, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(ns_xresults_total(r), 1000);
    ns_xresults_free(r);
    ns_xquery_free(q);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

/* ---- terms ---- */

START_TEST(term_longer_than_245_bytes_returns_NS_ETERM)
{
    ns_err err = { 0, "" };
    char t[247];
    memset(t, 'a', sizeof t);
    ns_xdoc *d = NULL;
    ck_assert_int_eq(ns_xdoc_new(&d, &err), 0);
    ck_assert_int_eq(ns_xdoc_add_posting(d, t, 245, 1, 1, &err), 0);
    ck_assert_int_eq(ns_xdoc_add_posting(d, t, 246, 1, 1, &err), NS_ETERM);
    ck_assert_ptr_nonnull(strstr(err.msg, "246"));
    ck_assert_int_eq(ns_xdoc_add_term(d, t, 246, 1, &err), NS_ETERM);
    ck_assert_int_eq(ns_xdoc_add_boolean_term(d, t, 246, &err), NS_ETERM);
    ns_xquery *q = (ns_xquery *)1;
    ck_assert_int_eq(ns_xquery_term(&q, t, 246, &err), NS_ETERM);
    ck_assert_ptr_null(q);
    ck_assert_int_eq(ns_xquery_wildcard(&q, t, 246, 0, &err), NS_ETERM);
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    ck_assert_int_eq(ns_xwdb_replace(w, t, 246, d, &err), NS_ETERM);
    ck_assert_int_eq(ns_xwdb_delete(w, t, 246, &err), NS_ETERM);
    /* The longest legal term really is storable. */
    ck_assert_msg(ns_xwdb_replace(w, "Qlong", 5, d, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    unsigned n = 0;
    ck_assert_int_eq(ns_xwdb_termfreq(w, t, 245, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ns_xwdb_free(w);
    ns_xdoc_free(d);
    free(path);
}
END_TEST

START_TEST(empty_term_returns_NS_ETERM)
{
    ns_err err = { 0, "" };
    ns_xdoc *d = NULL;
    ck_assert_int_eq(ns_xdoc_new(&d, &err), 0);
    ck_assert_int_eq(ns_xdoc_add_posting(d, "", 0, 1, 1, &err), NS_ETERM);
    ck_assert_int_eq(err.code, NS_ETERM);
    ck_assert_int_eq(ns_xdoc_add_term(d, "x", 0, 1, &err), NS_ETERM);
    ck_assert_int_eq(ns_xdoc_add_boolean_term(d, "", 0, &err), NS_ETERM);
    ns_xquery *q = NULL;
    ck_assert_int_eq(ns_xquery_term(&q, "", 0, &err), NS_ETERM);
    ck_assert_int_eq(ns_xquery_wildcard(&q, "", 0, 0, &err), NS_ETERM);
    ns_xdoc_free(d);
}
END_TEST

START_TEST(invalid_utf8_term_returns_NS_ETERM)
{
    ns_err err = { 0, "" };
    ns_xdoc *d = NULL;
    ck_assert_int_eq(ns_xdoc_new(&d, &err), 0);
    const char bad[] = "ab\xc3";      /* truncated sequence */
    const char nul[] = "a\0b";        /* NUL byte inside */
    const char ok[] = "\xd0\xbf\xd1\x80\xd0\xb8"; /* "при" */
    ck_assert_int_eq(ns_xdoc_add_posting(d, bad, 3, 1, 1, &err), NS_ETERM);
    ck_assert_ptr_nonnull(strstr(err.msg, "UTF-8"));
    ck_assert_int_eq(ns_xdoc_add_term(d, nul, 3, 1, &err), NS_ETERM);
    ck_assert_int_eq(ns_xdoc_add_posting(d, ok, 6, 1, 1, &err), 0);
    ns_xquery *q = NULL;
    ck_assert_int_eq(ns_xquery_term(&q, "\xff", 1, &err), NS_ETERM);
    ns_xdoc_free(d);
}
END_TEST

/* ---- writing ---- */

START_TEST(replace_by_idterm_updates_and_delete_removes)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    add_doc(w, "a", "alpha", NULL, NULL);
    add_doc(w, "b", "beta", NULL, NULL);
    add_doc(w, "c", "gamma", NULL, NULL);
    unsigned n = 0;
    ck_assert_uint_eq(wcount(w), 3);
    add_doc(w, "b", "delta", NULL, NULL); /* replaces b */
    ck_assert_uint_eq(wcount(w), 3);
    ck_assert_int_eq(ns_xwdb_delete(w, "Qc", 2, &err), 0);
    ck_assert_int_eq(ns_xwdb_delete(w, "Qzzz", 4, &err), 0); /* absent: not an error */
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);

    ns_xdb *db = open_reader(path);
    ck_assert_uint_eq(rcount(db), 2);
    ck_assert_int_eq(ns_xdb_termfreq(db, "beta", 4, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(ns_xdb_termfreq(db, "delta", 5, &n, &err), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(ns_xdb_termfreq(db, "gamma", 5, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    ns_xquery *q = term_q("Qb");
    check_run(db, q, NULL, "b", 1);
    ns_xquery_free(q);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(replace_adds_idterm_when_document_lacks_it)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    ns_xdoc *d = NULL;
    ck_assert_int_eq(ns_xdoc_new(&d, &err), 0);
    ck_assert_int_eq(ns_xdoc_add_term(d, "word", 4, 1, &err), 0);
    ck_assert_int_eq(ns_xwdb_replace(w, "Qx", 2, d, &err), 0);
    ck_assert_int_eq(ns_xwdb_replace(w, "Qx", 2, d, &err), 0);
    ck_assert_uint_eq(wcount(w), 1);
    ns_xdoc_free(d);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

static const struct tdoc alpha[] = { { "a", "alpha", NULL, NULL }, { 0 } };

START_TEST(cancelled_transaction_leaves_nothing)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(alpha, &w, NULL);
    ck_assert_int_eq(ns_xwdb_begin(w, &err), 0);
    ck_assert_int_eq(ns_xwdb_begin(w, &err), NS_EINVAL); /* no nesting */
    add_doc(w, "b", "beta", NULL, NULL);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "k", "v", 1, &err), 0);
    ck_assert_int_eq(ns_xwdb_cancel(w, &err), 0);
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ck_assert_uint_eq(wcount(w), 1);
    ns_xdb *db = open_reader(path);
    ck_assert_uint_eq(rcount(db), 1);
    char *val = NULL;
    size_t len = 9;
    ck_assert_int_eq(ns_xdb_get_metadata(db, "k", &val, &len, &err), 0);
    ck_assert_str_eq(val, "");
    ck_assert_uint_eq(len, 0);
    free(val);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(committed_transaction_visible_to_reader_after_reopen)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    ns_xdb *db = NULL;
    char *path = new_db(alpha, &w, &db);

    ck_assert_int_eq(ns_xwdb_begin(w, &err), 0);
    add_doc(w, "b", "beta", NULL, NULL);
    int changed = 9;
    ck_assert_int_eq(ns_xdb_reopen(db, &changed, &err), 0);
    ck_assert_uint_eq(rcount(db), 1); /* not yet committed */
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);

    ck_assert_uint_eq(rcount(db), 1); /* the reader stays on its snapshot */
    ck_assert_int_eq(ns_xdb_reopen(db, &changed, &err), 0);
    ck_assert_int_eq(changed, 1);
    ck_assert_uint_eq(rcount(db), 2);
    ck_assert_int_eq(ns_xdb_reopen(db, &changed, &err), 0);
    ck_assert_int_eq(changed, 0);
    ck_assert_int_eq(ns_xdb_reopen(db, NULL, &err), 0);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

START_TEST(close_cancels_transaction_and_commits_pending_changes)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    add_doc(w, "a", "alpha", NULL, NULL); /* pending, outside a transaction */
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);

    w = open_writer(path);
    ck_assert_int_eq(ns_xwdb_begin(w, &err), 0);
    add_doc(w, "b", "beta", NULL, NULL);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);

    w = open_writer(path);
    ck_assert_int_eq(ns_xwdb_begin(w, &err), 0);
    add_doc(w, "c", "gamma", NULL, NULL);
    ns_xwdb_free(w); /* free on an open handle cancels too */

    ns_xdb *db = open_reader(path);
    ck_assert_uint_eq(rcount(db), 1);
    ns_xdb_free(db);
    free(path);
}
END_TEST

START_TEST(overwrite_starts_afresh)
{
    ns_err err = { 0, "" };
    char *path = new_db(corpus, NULL, NULL);
    ns_xwdb *w = NULL;
    ck_assert_int_eq(ns_xwdb_open(&w, path, NS_XWDB_OVERWRITE, &err), 0);
    ck_assert_uint_eq(wcount(w), 0);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

/* ---- metadata ---- */

struct meta_seen {
    char buf[256];
    int calls;
    int stop_after;
};

static int meta_cb(void *ctx, const char *key, size_t key_len, const char *val, size_t val_len)
{
    struct meta_seen *m = ctx;
    size_t used = strlen(m->buf);
    snprintf(m->buf + used, sizeof m->buf - used, "%.*s=%.*s;", (int)key_len, key, (int)val_len,
             val);
    return ++m->calls == m->stop_after;
}

START_TEST(metadata_set_get_each_and_delete)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    char *path = new_db(NULL, &w, NULL);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "nsearch:schema", "1", 1, &err), 0);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "file:r\ta.md", "10 20 a", 7, &err), 0);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "file:r\tb.md", "11 21 b", 7, &err), 0);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "file:r\tc.md", "12 22 c", 7, &err), 0);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "", "x", 1, &err), NS_EINVAL);
    char *val = NULL;
    size_t len = 0;
    ck_assert_int_eq(ns_xwdb_get_metadata(w, "nsearch:schema", &val, &len, &err), 0);
    ck_assert_str_eq(val, "1");
    ck_assert_uint_eq(len, 1);
    free(val);
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "file:r\tb.md", "", 0, &err), 0); /* delete */
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);

    struct meta_seen m = { "", 0, 0 };
    ck_assert_int_eq(ns_xwdb_metadata_each(w, "file:", meta_cb, &m, &err), 0);
    ck_assert_str_eq(m.buf, "file:r\ta.md=10 20 a;file:r\tc.md=12 22 c;");

    ns_xdb *db = open_reader(path);
    struct meta_seen m2 = { "", 0, 1 };
    ck_assert_int_eq(ns_xdb_metadata_each(db, "file:", meta_cb, &m2, &err), 0);
    ck_assert_str_eq(m2.buf, "file:r\ta.md=10 20 a;"); /* stopped after one */
    struct meta_seen m3 = { "", 0, 0 };
    ck_assert_int_eq(ns_xdb_metadata_each(db, NULL, meta_cb, &m3, &err), 0);
    ck_assert_int_eq(m3.calls, 3);
    ck_assert_int_eq(ns_xdb_get_metadata(db, "file:r\tc.md", &val, &len, &err), 0);
    ck_assert_str_eq(val, "12 22 c");
    free(val);
    ck_assert_int_eq(ns_xdb_get_metadata(db, "file:r\tb.md", &val, &len, &err), 0);
    ck_assert_str_eq(val, "");
    ck_assert_uint_eq(len, 0);
    free(val);
    ns_xdb_free(db);
    ns_xwdb_free(w);
    free(path);
}
END_TEST

static Suite *shim_suite(void)
{
    return FIXTURE_SUITE("xapian_shim", "core", tempdir_setup, tempdir_teardown, 60,
                         open_missing_db_returns_NS_ENOTFOUND,
                         open_directory_that_is_not_a_db_returns_NS_ENOTFOUND_naming_it,
                         garbage_postlist_gives_NS_ECORRUPT,
                         garbage_version_file_gives_NS_ECORRUPT_on_open,
                         open_existing_only_never_creates,
                         set_data_replaces_only_the_data,
                         second_writer_returns_NS_ELOCKED_until_first_closes,
                         reader_use_after_close_returns_NS_ECLOSED,
                         writer_use_after_close_returns_NS_ECLOSED,
                         reader_of_overwritten_revision_gets_NS_EMODIFIED_then_reopen_helps,
                         term_longer_than_245_bytes_returns_NS_ETERM,
                         empty_term_returns_NS_ETERM,
                         invalid_utf8_term_returns_NS_ETERM,
                         replace_by_idterm_updates_and_delete_removes,
                         replace_adds_idterm_when_document_lacks_it,
                         cancelled_transaction_leaves_nothing,
                         committed_transaction_visible_to_reader_after_reopen,
                         close_cancels_transaction_and_commits_pending_changes,
                         overwrite_starts_afresh,
                         metadata_set_get_each_and_delete);
}

FIXTURE_MAIN(shim_suite)
