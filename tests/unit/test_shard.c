/* test_shard.c: shards (src/shard.h, issue 16): the routing hash stays the
 * one documented, the stub is written and read back, the stub format's
 * lines (local, remote, comments) and its errors, and a sharded writer
 * (xapian_shim.h) puts each document in the shard of its id, the metadata
 * in shard 0, and reads back as one database. */
#define _XOPEN_SOURCE 700
#include "shard.h"
#include "xapian_shim.h"
#include "tempdir.h"

#include "fixture.h"

#include <check.h>
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

static Suite *shard_suite(void)
{
    return FIXTURE_SUITE("shard", "core", tempdir_setup, tempdir_teardown, 0,
                         the_routing_hash_is_fnv1a_modulo_the_count,
                         ids_spread_evenly,
                         a_written_stub_reads_back,
                         stub_lines_local_remote_and_comments,
                         bad_stub_lines_are_named,
                         a_sharded_writer_routes_each_document_by_its_id,
                         a_remote_shard_that_does_not_answer_is_named);
}

FIXTURE_MAIN(shard_suite)
