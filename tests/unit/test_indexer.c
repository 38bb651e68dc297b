/* test_indexer.c: what an nindex run leaves in the database for searchers
 * (indexer/indexer.h): after a bulk build and after each incremental run,
 * the facet table describes the database's current revision, so a fresh
 * searcher counts facets without reading values, and the counts follow the
 * articles. Each test works in its own mkdtemp directory. */
#define _XOPEN_SOURCE 700
#include "indexer.h"
#include "schema.h"
#include "xapian_shim.h"
#include "tempdir.h"

#include "fixture.h"

#include <check.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An article of month 2020-MM about vendors ("A, B"). */
static void write_article(const char *name, int month, const char *vendors)
{
    char path[160];
    tempdir_path(path, sizeof path, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "---\ntitle: \"Article %s\"\ndate: 2020-%02d-15\nlang: en\nvendors: [%s]\n---\n\n"
               "Models were trained on new hardware this month.\n",
            name, month, vendors);
    ck_assert_int_eq(fclose(f), 0);
}

/* Index the "articles" directory into "db", with two shards when bulk. */
static void index_articles(void)
{
    char db[128], dir[128];
    tempdir_path(db, sizeof db, "db");
    tempdir_path(dir, sizeof dir, "articles");
    ns_index_opts o = NS_INDEX_OPTS_INIT;
    o.db_path = db;
    o.jobs = 2;
    ns_index_stats st;
    memset(&st, 0, sizeof st);
    ns_err err = { 0, "" };
    const char *paths[] = { dir };
    ck_assert_msg(ns_index_run(&o, paths, 1, &st, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.failed, 0);
}

/* The facets over every article as "key=count;...", checking that a fresh
 * searcher gets them from a current facet table. */
static void check_facets(const char *want)
{
    char db[128];
    tempdir_path(db, sizeof db, "db");
    ns_err err = { 0, "" };
    ns_xdb *x = NULL;
    ck_assert_msg(ns_xdb_open(&x, db, &err) == 0, "%s", err.msg);
    ns_xquery *q = NULL;
    ck_assert_int_eq(ns_xquery_match_all(&q, &err), 0);
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.facet_slot = NS_SLOT_FACETS;
    ns_xresults *r = NULL;
    ck_assert_msg(ns_xsearch(x, q, &o, &r, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(ns_xdb_has_facet_table(x, NS_SLOT_FACETS), 1);
    char got[512] = "";
    for (size_t i = 0; i < ns_xresults_facet_count(r); i++) {
        const ns_xfacet *f = ns_xresults_facet(r, i);
        size_t used = strlen(got);
        snprintf(got + used, sizeof got - used, "%s=%u;", f->key, f->count);
    }
    ck_assert_str_eq(got, want);
    ns_xresults_free(r);
    ns_xquery_free(q);
    ns_xdb_free(x);
}

START_TEST(every_run_leaves_a_current_facet_table)
{
    tempdir_mkdir("articles");
    write_article("articles/a.md", 1, "Google, OpenAI");
    write_article("articles/b.md", 2, "Google");
    write_article("articles/c.md", 2, "Yandex");
    index_articles(); /* bulk: shards merged */
    check_facets("Len=3;M2020-02=2;VGoogle=2;M2020-01=1;VOpenAI=1;VYandex=1;");

    /* incremental: a changed article keeps its docid, with other keys */
    write_article("articles/a.md", 3, "Yandex, Sberbank, Nvidia, Meta, IBM");
    index_articles();
    check_facets("Len=3;M2020-02=2;VYandex=2;M2020-03=1;VGoogle=1;VIBM=1;VMeta=1;VNvidia=1;"
                 "VSberbank=1;");

    /* nothing changed: the table stays current */
    index_articles();
    check_facets("Len=3;M2020-02=2;VYandex=2;M2020-03=1;VGoogle=1;VIBM=1;VMeta=1;VNvidia=1;"
                 "VSberbank=1;");

    /* a removed article */
    char path[128];
    tempdir_path(path, sizeof path, "articles/b.md");
    ck_assert_int_eq(unlink(path), 0);
    index_articles();
    check_facets("Len=2;VYandex=2;M2020-02=1;M2020-03=1;VIBM=1;VMeta=1;VNvidia=1;VSberbank=1;");
}
END_TEST

/* A file with the front matter lines extra (after title and date). */
static void write_with(const char *name, const char *extra)
{
    char path[160];
    tempdir_path(path, sizeof path, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "---\ntitle: \"%s\"\ndate: 2020-05-01\n%s---\n\nText.\n", name, extra);
    ck_assert_int_eq(fclose(f), 0);
}

/* "stories/articles;S-key counts" over every article: the page collapsed on
 * the story key, and the facet keys that mark stories of two or more. */
static void check_stories(const char *want)
{
    char db[128], got[256];
    tempdir_path(db, sizeof db, "db");
    ns_err err = { 0, "" };
    ns_xdb *x = NULL;
    ns_xquery *q = NULL;
    ns_xresults *r = NULL, *all = NULL;
    ck_assert_msg(ns_xdb_open(&x, db, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(ns_xquery_match_all(&q, &err), 0);
    ns_xsearch_opts o = NS_XSEARCH_OPTS_INIT;
    o.limit = 100;
    o.facet_slot = NS_SLOT_FACETS;
    ck_assert_msg(ns_xsearch(x, q, &o, &all, &err) == 0, "%s", err.msg);
    o.collapse_slot = NS_SLOT_STORY;
    ck_assert_msg(ns_xsearch(x, q, &o, &r, &err) == 0, "%s", err.msg);
    snprintf(got, sizeof got, "%zu/%zu;", ns_xresults_count(r), ns_xresults_count(all));
    for (size_t i = 0; i < ns_xresults_facet_count(all); i++) {
        const ns_xfacet *f = ns_xresults_facet(all, i);
        size_t used = strlen(got);
        if (f->key[0] == NS_FACET_STORY)
            snprintf(got + used, sizeof got - used, "S=%u;", f->count);
    }
    ck_assert_str_eq(got, want);
    ns_xresults_free(r);
    ns_xresults_free(all);
    ns_xquery_free(q);
    ns_xdb_free(x);
}

START_TEST(stories_are_linked_in_either_order_and_after_deletions)
{
    char path[128];
    tempdir_mkdir("articles");
    /* the translation alone (bulk), then its original (incremental) */
    write_with("articles/ru.md", "lang: ru\ntranslation_of: orig\n");
    write_with("articles/other.md", "url: https://example.org/other\n");
    index_articles();
    check_stories("2/2;");
    write_with("articles/orig.md", "id: orig\nurl: https://example.org/orig\n");
    index_articles();
    check_stories("2/3;S=2;");
    /* the original deleted: alone again, unmarked */
    tempdir_path(path, sizeof path, "articles/orig.md");
    ck_assert_int_eq(unlink(path), 0);
    index_articles();
    check_stories("2/2;");
    /* an article with other's url: the same story, whichever came first */
    write_with("articles/copy.md", "url: https://example.org/other\n");
    index_articles();
    check_stories("2/3;S=2;");
    /* the original back, the translation edited to name nothing */
    write_with("articles/orig.md", "id: orig\nurl: https://example.org/orig\n");
    write_with("articles/ru.md", "lang: ru\n");
    index_articles();
    check_stories("3/4;S=2;");
}
END_TEST

/* Warnings the engine reports, as "path|message;" (the path relative to
 * the test's directory). */
static char warnings[1024];

static void on_warning(void *ctx, const char *path, const char *msg)
{
    (void)ctx;
    size_t used = strlen(warnings), tl = strlen(tmpdir);
    if (!strncmp(path, tmpdir, tl))
        path += tl + 1;
    snprintf(warnings + used, sizeof warnings - used, "%s|%s;", path, msg);
}

/* Index the directory dir (under the test's directory) into "db". */
static int run_index(const char *dir, int follow, ns_index_stats *st, ns_err *err)
{
    char db[128], path[128];
    tempdir_path(db, sizeof db, "db");
    tempdir_path(path, sizeof path, dir);
    ns_index_opts o = NS_INDEX_OPTS_INIT;
    o.db_path = db;
    o.jobs = 2;
    o.follow_symlinks = follow;
    o.on_warning = on_warning;
    warnings[0] = '\0';
    const char *paths[] = { path };
    int rc = ns_index_run(&o, paths, 1, st, err);
    ns_index_stats_clear(st);
    return rc;
}

START_TEST(a_link_out_of_the_paths_is_reported_once_and_skipped)
{
    char dir[128], target[160];
    tempdir_mkdir("articles");
    tempdir_mkdir("outside");
    write_article("articles/a.md", 1, "Google");
    write_article("outside/secret.md", 2, "OpenAI");
    tempdir_path(dir, sizeof dir, "articles/leak.md");
    ck_assert_int_eq(symlink("../outside/secret.md", dir), 0);
    ns_index_stats st;
    ns_err err = { 0, "" };
    ck_assert_msg(run_index("articles", 0, &st, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.added, 1);
    char *real = realpath(tmpdir, NULL);
    ck_assert_ptr_nonnull(real);
    snprintf(target, sizeof target, "articles/leak.md|symbolic link to '%s/outside/secret.md' "
             "leads outside the PATHs given: skipped (--follow-symlinks follows it);", real);
    free(real);
    ck_assert_str_eq(warnings, target);
    ck_assert_msg(run_index("articles", 1, &st, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.added, 1);
    ck_assert_uint_eq(st.unchanged, 1);
    ck_assert_str_eq(warnings, "");
}
END_TEST

START_TEST(a_moved_root_keeps_its_records_and_a_subfolder_its_ids)
{
    char from[128], to[128];
    tempdir_mkdir("articles");
    tempdir_mkdir("articles/en");
    write_article("articles/en/a.md", 1, "Google");
    write_article("articles/en/b.md", 2, "Yandex");
    write_article("articles/c.md", 3, "OpenAI");
    ns_index_stats st;
    ns_err err = { 0, "" };
    ck_assert_msg(run_index("articles", 0, &st, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.added, 3);
    tempdir_path(from, sizeof from, "articles");
    tempdir_path(to, sizeof to, "moved");
    ck_assert_int_eq(rename(from, to), 0);
    ck_assert_msg(run_index("moved", 0, &st, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.unchanged, 3);
    ck_assert_uint_eq(st.added + st.updated + st.removed + st.failed, 0);
    ck_assert_msg(run_index("moved/en", 0, &st, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(st.unchanged, 2);
    ck_assert_uint_eq(st.added + st.updated + st.removed + st.failed, 0);
    check_facets("Len=3;M2020-01=1;M2020-02=1;M2020-03=1;VGoogle=1;VOpenAI=1;VYandex=1;");
}
END_TEST

START_TEST(a_database_path_of_the_articles_is_refused)
{
    char dir[128];
    tempdir_mkdir("articles");
    tempdir_path(dir, sizeof dir, "articles");
    write_article("articles/a.md", 1, "Google");
    ns_index_opts o = NS_INDEX_OPTS_INIT;
    o.db_path = dir;
    ns_index_stats st;
    ns_err err = { 0, "" };
    const char *paths[] = { dir };
    ck_assert_int_eq(ns_index_run(&o, paths, 1, &st, &err), NS_EINVAL);
    ck_assert_msg(strstr(err.msg, "is the PATH") != NULL, "%s", err.msg);
    /* a folder of other things, given as the database of another folder */
    char other[128];
    tempdir_mkdir("other");
    tempdir_path(other, sizeof other, "other");
    write_article("other/b.md", 2, "Yandex");
    o.db_path = other;
    ck_assert_int_eq(ns_index_run(&o, paths, 1, &st, &err), NS_EINVAL);
    ck_assert_msg(strstr(err.msg, "is not an nsearch database: it is a folder holding 1 entry")
                  != NULL, "%s", err.msg);
    struct stat sb;
    tempdir_path(dir, sizeof dir, "articles/a.md");
    ck_assert_int_eq(stat(dir, &sb), 0);
    tempdir_path(dir, sizeof dir, "other/b.md");
    ck_assert_int_eq(stat(dir, &sb), 0);
    tempdir_path(dir, sizeof dir, "other/iamglass");
    ck_assert_int_eq(stat(dir, &sb), -1);
}
END_TEST

static Suite *indexer_suite(void)
{
    return FIXTURE_SUITE("indexer", "core", tempdir_setup, tempdir_teardown, 60,
                         every_run_leaves_a_current_facet_table,
                         stories_are_linked_in_either_order_and_after_deletions,
                         a_link_out_of_the_paths_is_reported_once_and_skipped,
                         a_moved_root_keeps_its_records_and_a_subfolder_its_ids,
                         a_database_path_of_the_articles_is_refused);
}

FIXTURE_MAIN(indexer_suite)
