/* test_shard.c: shards (src/shard.h, issue 16): the routing hash stays the
 * one documented, the stub is written and read back, the stub format's
 * lines (local, remote, comments) and its errors, and a sharded writer
 * (xapian_shim.h) puts each document in the shard of its id, the metadata
 * in shard 0, and reads back as one database; a prefix* scores alike in
 * one database and in shards. */
#define _XOPEN_SOURCE 700
#include "shard.h"
#include "xapian_shim.h"
#include "tempdir.h"

#include "fixture.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void S_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Moving an article to another shard would strand its old copy: the
 * values are FNV-1a 64 (ns_hmap_hash) modulo the count, for good. */
START_TEST(the_routing_hash_is_fnv1a_modulo_the_count)
{
    ck_assert_uint_eq(ns_shard_of("a", 1, 4), 0x44bd8ad473cd9906ULL % 4);
    ck_assert_uint_eq(ns_shard_of("foobar", 6, 4), 0x88fad7c0a8ff07f2ULL % 4);
    ck_assert_uint_eq(ns_shard_of("foobar", 6, 7), 0x88fad7c0a8ff07f2ULL % 7);
    ck_assert_uint_eq(ns_shard_of("", 0, 3), 0x14650fb0739d0383ULL % 3);
    ck_assert_uint_eq(ns_shard_of("foobar", 6, 1), 0);
    ck_assert_uint_eq(ns_shard_of("foobar", 6, 0), 0);
}
END_TEST

START_TEST(ids_spread_evenly)
{
    unsigned n[4] = { 0 };
    char id[32];
    for (int i = 0; i < 10000; i++) {
        int len = snprintf(id, sizeof id, "2020/%05d-article", i);
        n[ns_shard_of(id, (size_t)len, 4)]++;
    }
    for (int k = 0; k < 4; k++)
        ck_assert_msg(n[k] > 2300 && n[k] < 2700, "shard %d has %u of 10000", k, n[k]);
}
END_TEST

START_TEST(a_written_stub_reads_back)
{
    ns_err err;
    ns_stub *s = NULL;
    ck_assert_int_eq(ns_stub_is(tmpdir), 0);
    ck_assert_int_eq(ns_stub_read(&s, tmpdir, &err), NS_ENOTFOUND);
    ck_assert_int_eq(ns_stub_write_local(tmpdir, 3, &err), 0);
    ck_assert_int_eq(ns_stub_is(tmpdir), 1);
    ck_assert_int_eq(ns_stub_read(&s, tmpdir, &err), 0);
    ck_assert_uint_eq(ns_stub_count(s), 3);
    ck_assert_uint_eq(ns_stub_remotes(s), 0);
    char want[128];
    for (unsigned k = 0; k < 3; k++) {
        const ns_stub_shard *sh = ns_stub_shard_at(s, k);
        snprintf(want, sizeof want, "%s/shard%u", tmpdir, k);
        ck_assert_str_eq(sh->path, want);
        snprintf(want, sizeof want, "shard%u", k);
        ck_assert_str_eq(sh->name, want);
        ck_assert_int_eq(sh->remote, 0);
    }
    ck_assert_ptr_null(ns_stub_shard_at(s, 3));
    ns_stub_free(s);
    /* no temporary file left beside it */
    struct stat st;
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%s/XAPIANDB.tmp", tmpdir);
    ck_assert_int_ne(stat(tmp, &st), 0);
    ck_assert_int_eq(ns_stub_write_local(tmpdir, 0, &err), NS_EINVAL);
    ck_assert_int_eq(ns_stub_write_local(tmpdir, NS_SHARD_MAX + 1, &err), NS_EINVAL);
}
END_TEST

START_TEST(stub_lines_local_remote_and_comments)
{
    char path[128];
    ns_err err;
    ns_stub *s = NULL;
    snprintf(path, sizeof path, "%s/my.stub", tmpdir);
    S_write(path, "# shards\n\nauto a/b\nglass /abs/x\nremote 10.0.0.7:4012\nremote [::1]:99\r\n");
    ck_assert_int_eq(ns_stub_is(path), 1);
    ck_assert_int_eq(ns_stub_read(&s, path, &err), 0);
    ck_assert_uint_eq(ns_stub_count(s), 4);
    ck_assert_uint_eq(ns_stub_remotes(s), 2);
    char want[160];
    snprintf(want, sizeof want, "%s/a/b", tmpdir);
    ck_assert_str_eq(ns_stub_shard_at(s, 0)->path, want);
    ck_assert_str_eq(ns_stub_shard_at(s, 1)->path, "/abs/x");
    const ns_stub_shard *r = ns_stub_shard_at(s, 2);
    ck_assert_int_eq(r->remote, 1);
    ck_assert_str_eq(r->host, "10.0.0.7");
    ck_assert_uint_eq(r->port, 4012);
    ck_assert_str_eq(r->name, "10.0.0.7:4012");
    ck_assert_str_eq(ns_stub_shard_at(s, 3)->host, "::1");
    ck_assert_uint_eq(ns_stub_shard_at(s, 3)->port, 99);
    ns_stub_free(s);
}
END_TEST

START_TEST(bad_stub_lines_are_named)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        { "remote :xapian-progsrv /db\n", ":1: remote shards over a program" },
        { "auto x\nremote host:0\n", ":2: bad port '0'" },
        { "remote host:70000\n", "bad port '70000'" },
        { "remote host\n", "expected 'remote HOST:PORT'" },
        { "remote :\n", "over a program" },
        { "inmemory\n", ":1: expected 'auto PATH'" },
        { "auto \n", "a shard without a path" },
        { "# nothing\n\n", "lists no shard" },
    };
    char path[128];
    snprintf(path, sizeof path, "%s/bad.stub", tmpdir);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ns_err err;
        ns_stub *s = NULL;
        S_write(path, cases[i].text);
        ck_assert_int_eq(ns_stub_read(&s, path, &err), NS_ESYNTAX);
        ck_assert_ptr_null(s);
        ck_assert_msg(strstr(err.msg, cases[i].msg) != NULL, "case %zu: %s", i, err.msg);
    }
}
END_TEST

static int S_count_meta(void *ctx, const char *k, size_t kl, const char *v, size_t vl)
{
    (void)k, (void)kl, (void)v, (void)vl;
    ++*(int *)ctx;
    return 0;
}

START_TEST(a_sharded_writer_routes_each_document_by_its_id)
{
    char db[128], shard[160], id[32];
    ns_err err;
    ns_xwdb *w = NULL;
    snprintf(db, sizeof db, "%s/db", tmpdir);
    ck_assert_int_eq(ns_xwdb_open_shards(&w, db, 3, NS_XWDB_CREATE_OR_OPEN, &err), 0);
    ck_assert_uint_eq(ns_xwdb_shard_count(w), 3);
    ck_assert_int_eq(ns_xwdb_begin(w, &err), 0);
    for (int i = 0; i < 30; i++) {
        ns_xdoc *d = NULL;
        int len = snprintf(id, sizeof id, "Qart-%d", i);
        ck_assert_int_eq(ns_xdoc_new(&d, &err), 0);
        ck_assert_int_eq(ns_xdoc_add_term(d, "word", 4, 1, &err), 0);
        ck_assert_int_eq(ns_xwdb_replace(w, id, (size_t)len, d, &err), 0);
        ns_xdoc_free(d);
    }
    ck_assert_int_eq(ns_xwdb_set_metadata(w, "nsearch:schema", "3", 1, &err), 0);
    unsigned n = 0;
    ck_assert_int_eq(ns_xwdb_doccount(w, &n, &err), 0);
    ck_assert_uint_eq(n, 30);  /* counted over every shard, before the commit */
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ck_assert_int_eq(ns_xwdb_delete(w, "Qart-7", 6, &err), 0);
    ck_assert_int_eq(ns_xwdb_termfreq(w, "Qart-7", 6, &n, &err), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);
    /* a count other than the database's is refused, and so is one shard */
    ck_assert_int_eq(ns_xwdb_open_shards(&w, db, 2, NS_XWDB_OPEN, &err), NS_EINVAL);
    ck_assert_ptr_null(w);
    ck_assert_int_eq(ns_xwdb_open_shards(&w, db, 1, NS_XWDB_OPEN, &err), NS_EINVAL);
    for (unsigned k = 0; k < 3; k++) {
        ns_xdb *x = NULL;
        int nmeta = 0;
        snprintf(shard, sizeof shard, "%s/shard%u", db, k);
        ck_assert_int_eq(ns_xdb_open(&x, shard, &err), 0);
        for (int i = 0; i < 30; i++) {
            int len = snprintf(id, sizeof id, "art-%d", i);
            unsigned tf = 9;
            char term[40];
            snprintf(term, sizeof term, "Q%s", id);
            ck_assert_int_eq(ns_xdb_termfreq(x, term, strlen(term), &tf, &err), 0);
            ck_assert_uint_eq(tf, i != 7 && ns_shard_of(id, (size_t)len, 3) == k);
        }
        ck_assert_int_eq(ns_xdb_metadata_each(x, NULL, S_count_meta, &nmeta, &err), 0);
        ck_assert_int_eq(nmeta, k == 0 ? 1 : 0);  /* metadata in shard 0 only */
        ns_xdb_free(x);
    }
    /* read back as one database */
    ns_xdb *all = NULL;
    char *v = NULL;
    ck_assert_int_eq(ns_xdb_open(&all, db, &err), 0);
    ck_assert_uint_eq(ns_xdb_shard_count(all), 3);
    ck_assert_int_eq(ns_xdb_doccount(all, &n, &err), 0);
    ck_assert_uint_eq(n, 29);
    ck_assert_int_eq(ns_xdb_get_metadata(all, "nsearch:schema", &v, NULL, &err), 0);
    ck_assert_str_eq(v, "3");
    ck_assert_str_eq(ns_xdb_missing(all), "");
    free(v);
    ns_xdb_free(all);
}
END_TEST

START_TEST(a_remote_shard_that_does_not_answer_is_named)
{
    char path[128];
    ns_err err;
    ns_xdb *x = NULL;
    snprintf(path, sizeof path, "%s/r.stub", tmpdir);
    /* port 1 on loopback: refused at once */
    S_write(path, "remote 127.0.0.1:1\n");
    ns_xdb_opts o = NS_XDB_OPTS_INIT;
    o.timeout_ms = 500;
    ck_assert_int_eq(ns_xdb_open_opts(&x, path, &o, &err), NS_ESHARD);
    ck_assert_ptr_null(x);
    ck_assert_msg(strstr(err.msg, "shard 127.0.0.1:1 (1 of 1) did not answer") != NULL, "%s",
                  err.msg);
    /* partial answers need one shard that answers */
    o.allow_partial = 1;
    ck_assert_int_eq(ns_xdb_open_opts(&x, path, &o, &err), NS_ESHARD);
}
END_TEST

/* 60 documents whose "pre..." terms spread unevenly over the shards, with
 * their wdfs and lengths varied, into w (one database or shards). */
static void S_fill_prefixed(ns_xwdb *w)
{
    ns_err err;
    char id[16], t[16];
    ck_assert_int_eq(ns_xwdb_begin(w, &err), 0);
    for (int i = 0; i < 60; i++) {
        ns_xdoc *d = NULL;
        int len = snprintf(id, sizeof id, "Qd%d", i);
        ck_assert_int_eq(ns_xdoc_new(&d, &err), 0);
        int tl = snprintf(t, sizeof t, "pre%c", 'a' + i % 7);
        ck_assert_int_eq(ns_xdoc_add_term(d, t, (size_t)tl, 1 + (unsigned)(i % 3), &err), 0);
        if (i % 2 == 0) {
            tl = snprintf(t, sizeof t, "pre%c%c", 'a' + i * i % 17, 'a' + i % 3);
            ck_assert_int_eq(ns_xdoc_add_term(d, t, (size_t)tl, 1, &err), 0);
        }
        ck_assert_int_eq(ns_xdoc_add_term(d, "fill", 4, 1 + (unsigned)(i % 5), &err), 0);
        ck_assert_int_eq(ns_xdoc_set_data(d, id + 1, (size_t)len - 1, &err), 0);
        ck_assert_int_eq(ns_xwdb_replace(w, id, (size_t)len, d, &err), 0);
        ns_xdoc_free(d);
    }
    ck_assert_int_eq(ns_xwdb_commit(w, &err), 0);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);
}

typedef struct {
    char id[16];
    double score;
} S_hit;

static int S_by_id(const void *a, const void *b)
{
    return strcmp(((const S_hit *)a)->id, ((const S_hit *)b)->id);
}

/* Every match of "pre*" in db (expanded against it, at most limit terms;
 * wildcard: Xapian's OP_WILDCARD instead), sorted by id; their number. */
static size_t S_prefix_hits(const char *path, unsigned limit, int wildcard, S_hit *out)
{
    ns_err err;
    ns_xdb *db = NULL;
    ns_xquery *q = NULL;
    ns_xresults *r = NULL;
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.limit = 100;
    ck_assert_int_eq(ns_xdb_open(&db, path, &err), 0);
    if (wildcard)
        ck_assert_int_eq(ns_xquery_wildcard(&q, "pre", 3, limit, &err), 0);
    else
        ck_assert_int_eq(ns_xdb_expand_prefix(db, "pre", 3, limit, &q, &err), 0);
    ck_assert_int_eq(ns_xsearch(db, q, &o, &r, &err), 0);
    size_t n = ns_xresults_count(r);
    ck_assert_uint_le(n, 60);
    for (size_t i = 0; i < n; i++) {
        const ns_xhit *h = ns_xresults_hit(r, i);
        snprintf(out[i].id, sizeof out[i].id, "%s", h->data);
        out[i].score = h->score;
    }
    qsort(out, n, sizeof *out, S_by_id);
    ns_xresults_free(r);
    ns_xquery_free(q);
    ns_xdb_free(db);
    return n;
}

/* Xapian 1.4 expands a wildcard in each shard alone and weighs its terms by
 * that shard's statistics; ns_xdb_expand_prefix expands over the whole
 * database, so one database and its shards score every match alike, with
 * or without a limit that leaves terms out; and one database scores them
 * exactly as Xapian's wildcard does (the same terms, the same estimate). */
START_TEST(a_prefix_scores_alike_in_one_database_and_in_shards)
{
    char one[128], sh[128];
    ns_err err;
    ns_xwdb *w = NULL;
    S_hit a[60], b[60];
    snprintf(one, sizeof one, "%s/one", tmpdir);
    snprintf(sh, sizeof sh, "%s/sh", tmpdir);
    ck_assert_int_eq(ns_xwdb_open(&w, one, NS_XWDB_CREATE_OR_OPEN, &err), 0);
    S_fill_prefixed(w);
    ck_assert_int_eq(ns_xwdb_open_shards(&w, sh, 3, NS_XWDB_CREATE_OR_OPEN, &err), 0);
    S_fill_prefixed(w);
    static const unsigned limits[] = { 0, 3, 5 };
    for (size_t k = 0; k < sizeof limits / sizeof *limits; k++) {
        size_t n = S_prefix_hits(one, limits[k], 0, a);
        ck_assert_uint_gt(n, 10);
        ck_assert_uint_eq(S_prefix_hits(sh, limits[k], 0, b), n);
        for (size_t i = 0; i < n; i++) {
            ck_assert_str_eq(a[i].id, b[i].id);
            ck_assert_msg(fabs(a[i].score - b[i].score) <= 1e-9 * a[i].score,
                          "limit %u, %s: %.17g in one database, %.17g in shards", limits[k],
                          a[i].id, a[i].score, b[i].score);
        }
        ck_assert_uint_eq(S_prefix_hits(one, limits[k], 1, b), n);
        for (size_t i = 0; i < n; i++) {
            ck_assert_str_eq(a[i].id, b[i].id);
            ck_assert_msg(a[i].score == b[i].score, "limit %u, %s: %.17g, wildcard %.17g",
                          limits[k], a[i].id, a[i].score, b[i].score);
        }
    }
    /* no term starts with it: nothing matches, no error */
    ns_xdb *db = NULL;
    ns_xquery *q = NULL;
    ns_xresults *r = NULL;
    ck_assert_int_eq(ns_xdb_open(&db, sh, &err), 0);
    ck_assert_int_eq(ns_xdb_expand_prefix(db, "zzz", 3, 0, &q, &err), 0);
    ck_assert_int_eq(ns_xsearch(db, q, NULL, &r, &err), 0);
    ck_assert_uint_eq(ns_xresults_total(r), 0);
    ns_xresults_free(r);
    ns_xquery_free(q);
    ck_assert_int_eq(ns_xdb_expand_prefix(db, "", 0, 0, &q, &err), NS_ETERM);
    ck_assert_ptr_null(q);
    ns_xdb_free(db);
}
END_TEST

/* A page-only pass (check_at_least) may stop early in one database; over
 * shards Xapian 1.4 stopping early lost hits of the page, so a sharded
 * search visits every match: its total is exact, not an estimate. */
START_TEST(a_page_only_pass_over_shards_visits_every_match)
{
    char sh[128];
    ns_err err;
    ns_xwdb *w = NULL;
    ns_xdb *db = NULL;
    ns_xquery *t[2] = { NULL, NULL }, *q = NULL;
    ns_xresults *r = NULL;
    snprintf(sh, sizeof sh, "%s/sh", tmpdir);
    ck_assert_int_eq(ns_xwdb_open_shards(&w, sh, 3, NS_XWDB_CREATE_OR_OPEN, &err), 0);
    S_fill_prefixed(w);
    ck_assert_int_eq(ns_xdb_open(&db, sh, &err), 0);
    ck_assert_int_eq(ns_xquery_term(&t[0], "prea", 4, &err), 0);
    ck_assert_int_eq(ns_xquery_term(&t[1], "preb", 4, &err), 0);
    ck_assert_int_eq(ns_xquery_combine(&q, NS_XQ_OR, t, 2, 0, &err), 0);
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.limit = 1;
    o.check_at_least = 1;
    ck_assert_int_eq(ns_xsearch(db, q, &o, &r, &err), 0);
    ck_assert_uint_eq(ns_xresults_count(r), 1);
    ck_assert_uint_eq(ns_xresults_total(r), 18); /* i % 7 == 0 or 1, of 60 */
    ns_xresults_free(r);
    ns_xquery_free(q);
    ns_xquery_free(t[0]);
    ns_xquery_free(t[1]);
    ns_xdb_free(db);
}
END_TEST

static Suite *shard_suite(void)
{
    return FIXTURE_SUITE("shard", "core", tempdir_setup, tempdir_teardown, 0,
                         the_routing_hash_is_fnv1a_modulo_the_count,
                         ids_spread_evenly,
                         a_written_stub_reads_back,
                         stub_lines_local_remote_and_comments,
                         bad_stub_lines_are_named,
                         a_sharded_writer_routes_each_document_by_its_id,
                         a_remote_shard_that_does_not_answer_is_named,
                         a_prefix_scores_alike_in_one_database_and_in_shards,
                         a_page_only_pass_over_shards_visits_every_match);
}

FIXTURE_MAIN(shard_suite)
