/* test_dbpath.c: what nindex may do with a database path (indexer/dbpath.h,
 * issue #13): links resolved, the path classified without writing, overlaps
 * with the archive named, the temporary directory claimed only when it is
 * nindex's and removed without what is not, a new database put in place
 * without replacing anything. Each test works in its own mkdtemp directory. */
#define _XOPEN_SOURCE 700
#include "dbpath.h"
#include "schema.h"
#include "xapian_shim.h"
#include "tempdir.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A path inside the test's directory (one of a few static buffers). */
static const char *tp(const char *name)
{
    static char buf[8][512];
    static int i;
    i = (i + 1) % 8;
    snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
    return buf[i];
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(tp(name), "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static int exists(const char *name)
{
    struct stat st;
    return lstat(tp(name), &st) == 0;
}

/* A Xapian database at name, with nsearch's schema when nsearch. */
static void make_db(const char *name, int nsearch)
{
    ns_err err = { 0, "" };
    ns_xwdb *w = NULL;
    ck_assert_msg(ns_xwdb_open(&w, tp(name), NS_XWDB_CREATE_OR_OPEN, &err) == 0, "%s", err.msg);
    if (nsearch)
        ck_assert_int_eq(ns_xwdb_set_metadata(w, NS_META_SCHEMA, "2", 1, &err), 0);
    else
        ck_assert_int_eq(ns_xwdb_set_metadata(w, "owner", "someone", 7, &err), 0);
    ck_assert_int_eq(ns_xwdb_close(w, &err), 0);
    ns_xwdb_free(w);
}

/* The real path of the test's directory (mkdtemp's may pass a link). */
static char *real_tmp(void)
{
    char *r = realpath(tmpdir, NULL);
    ck_assert_ptr_nonnull(r);
    return r;
}

START_TEST(resolve_follows_links_to_a_target_not_built_yet)
{
    ns_err err = { 0, "" };
    char *out = NULL, *base = real_tmp(), want[600];
    ck_assert_int_eq(mkdir(tp("real"), 0777), 0);
    ck_assert_int_eq(symlink("real/news.db", tp("link")), 0);
    ck_assert_int_eq(symlink("link", tp("link2")), 0);
    ck_assert_msg(ns_dbpath_resolve(&out, tp("link2/"), "link2", &err) == 0, "%s", err.msg);
    snprintf(want, sizeof want, "%s/real/news.db", base);
    ck_assert_str_eq(out, want);
    free(out);
    /* an existing folder: its real path */
    ck_assert_int_eq(ns_dbpath_resolve(&out, tp("real"), "real", &err), 0);
    snprintf(want, sizeof want, "%s/real", base);
    ck_assert_str_eq(out, want);
    free(out);
    free(base);
}
END_TEST

START_TEST(resolve_refuses_a_missing_folder_and_a_link_loop)
{
    ns_err err = { 0, "" };
    char *out = (char *)1;
    ck_assert_int_eq(ns_dbpath_resolve(&out, tp("no/such/db"), "no/such/db", &err), NS_ENOTFOUND);
    ck_assert_ptr_null(out);
    ck_assert_msg(strstr(err.msg, "cannot create database 'no/such/db': folder") != NULL, "%s",
                  err.msg);
    ck_assert_int_eq(symlink("b", tp("a")), 0);
    ck_assert_int_eq(symlink("a", tp("b")), 0);
    ck_assert_int_eq(ns_dbpath_resolve(&out, tp("a"), "a", &err), NS_EINVAL);
    ck_assert_str_eq(err.msg, "database 'a': too many levels of symbolic links");
    ck_assert_ptr_null(out);
}
END_TEST

START_TEST(classify_names_what_is_not_a_database)
{
    ns_err err = { 0, "" };
    ns_dbpath_kind k;
    char *foreign = NULL;
    ck_assert_int_eq(ns_dbpath_classify(&k, &foreign, tp("none"), "none", &err), 0);
    ck_assert_int_eq(k, NS_DBPATH_MISSING);
    ck_assert_int_eq(mkdir(tp("empty"), 0777), 0);
    ck_assert_int_eq(ns_dbpath_classify(&k, &foreign, tp("empty"), "empty", &err), 0);
    ck_assert_int_eq(k, NS_DBPATH_EMPTY_DIR);
    ck_assert_ptr_null(foreign);

    put("file", "x\n");
    ck_assert_int_eq(ns_dbpath_classify(&k, &foreign, tp("file"), "file", &err), NS_EINVAL);
    ck_assert_str_eq(err.msg, "'file' is not an nsearch database: it is a regular file");
    ck_assert_int_eq(mkdir(tp("notes"), 0777), 0);
    put("notes/a.md", "a\n");
    ck_assert_int_eq(ns_dbpath_classify(&k, &foreign, tp("notes"), "notes", &err), NS_EINVAL);
    ck_assert_str_eq(err.msg, "'notes' is not an nsearch database: it is a folder holding 1 "
                              "entry and no Xapian database");

    /* Xapian's files without a version file, as a build stopped while
     * moving them into an empty folder leaves them */
    ck_assert_int_eq(mkdir(tp("half"), 0777), 0);
    put("half/postlist.glass", "");
    put("half/termlist.glass", "");
    ck_assert_int_eq(ns_dbpath_classify(&k, &foreign, tp("half"), "half", &err), NS_EINVAL);
    ck_assert_msg(strstr(err.msg, "'half' is not an nsearch database: it is a folder holding 2 "
                                  "of Xapian's files and no Xapian database (if a build of "
                                  "nindex was stopped, empty the folder") != NULL, "%s", err.msg);

    /* a Xapian database of someone else's: refused, and not written to
     * (no lock file appears where there was none) */
    make_db("foreign", 0);
    ck_assert_int_eq(unlink(tp("foreign/flintlock")), 0);
    ck_assert_int_eq(ns_dbpath_classify(&k, &foreign, tp("foreign"), "foreign", &err), NS_EINVAL);
    ck_assert_str_eq(err.msg, "'foreign' is not an nsearch database: it is a Xapian database "
                              "without nsearch's schema metadata");
    ck_assert(!exists("foreign/flintlock"));
    ck_assert_ptr_null(foreign);
}
END_TEST

START_TEST(classify_finds_an_nsearch_database_and_what_else_it_holds)
{
    ns_err err = { 0, "" };
    ns_dbpath_kind k;
    char *foreign = NULL;
    make_db("db", 1);
    ck_assert_msg(ns_dbpath_classify(&k, &foreign, tp("db"), "db", &err) == 0, "%s", err.msg);
    ck_assert_int_eq(k, NS_DBPATH_NSEARCH);
    ck_assert_ptr_null(foreign);
    put("db/README", "mine\n");
    ck_assert_int_eq(ns_dbpath_classify(&k, &foreign, tp("db"), "db", &err), 0);
    ck_assert_int_eq(k, NS_DBPATH_NSEARCH);
    ck_assert_str_eq(foreign, "README");
    free(foreign);
    /* a damaged one cannot be told from someone else's */
    put("db/iamglass", "garbage");
    ck_assert_int_lt(ns_dbpath_classify(&k, &foreign, tp("db"), "db", &err), 0);
    ck_assert_msg(strstr(err.msg, "move it away") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(overlap_by_whole_path_components)
{
    ck_assert_str_eq(ns_dbpath_overlap("/a/corpus", "/a/corpus.nindex-tmp", "/a/corpus"),
                     "is the PATH");
    ck_assert_str_eq(ns_dbpath_overlap("/a/corpus/db", "/a/corpus/db.nindex-tmp", "/a/corpus"),
                     "is inside the PATH");
    ck_assert_str_eq(ns_dbpath_overlap("/a", "/a.nindex-tmp", "/a/corpus/en"), "holds the PATH");
    ck_assert_str_eq(ns_dbpath_overlap("/x/db", "/x/db.nindex-tmp", "/x/db.nindex-tmp/c"),
                     "has its temporary folder holding the PATH");
    ck_assert_ptr_null(ns_dbpath_overlap("/a/corpus.db", "/a/corpus.db.nindex-tmp", "/a/corpus"));
    ck_assert_ptr_null(ns_dbpath_overlap("/a/c", "/a/c.nindex-tmp", "/a/corpus"));
    ck_assert(ns_dbpath_within("/a/b", "/"));
    ck_assert(!ns_dbpath_within("/a/bc", "/a/b"));
    ck_assert(ns_dbpath_within("/a/b/c", "/a/b"));
}
END_TEST

START_TEST(tmp_claim_takes_only_what_is_nindex_s)
{
    ns_err err = { 0, "" };
    int made = 9;
    ck_assert_int_eq(ns_dbpath_tmp_claim(tp("t1"), "db", &made, &err), 0);
    ck_assert_int_eq(made, 1);
    ck_assert(ns_dbpath_tmp_marked(tp("t1")));
    /* an earlier run's: ours, not made now */
    ck_assert_int_eq(ns_dbpath_tmp_claim(tp("t1"), "db", &made, &err), 0);
    ck_assert_int_eq(made, 0);
    /* an empty folder (a run killed before its marker): taken and marked */
    ck_assert_int_eq(mkdir(tp("t2"), 0777), 0);
    ck_assert_int_eq(ns_dbpath_tmp_claim(tp("t2"), "db", &made, &err), 0);
    ck_assert(ns_dbpath_tmp_marked(tp("t2")));
    /* the user's: refused and left as it is */
    ck_assert_int_eq(mkdir(tp("t3"), 0777), 0);
    put("t3/keep.txt", "mine\n");
    ck_assert_int_eq(ns_dbpath_tmp_claim(tp("t3"), "db", &made, &err), NS_EINVAL);
    ck_assert_msg(strstr(err.msg, "exists and was not made by nindex") != NULL, "%s", err.msg);
    ck_assert(!ns_dbpath_tmp_marked(tp("t3")));
    put("t4", "a file\n");
    ck_assert_int_eq(ns_dbpath_tmp_claim(tp("t4"), "db", &made, &err), NS_EINVAL);
    ck_assert_msg(strstr(err.msg, "is in the way") != NULL, "%s", err.msg);
    ck_assert_int_eq(symlink("t1", tp("t5")), 0);
    ck_assert_int_eq(ns_dbpath_tmp_claim(tp("t5"), "db", &made, &err), NS_EINVAL);
    ck_assert(!ns_dbpath_tmp_marked(tp("t5")));
}
END_TEST

START_TEST(tmp_remove_keeps_what_nindex_did_not_make)
{
    ns_err err = { 0, "" };
    int made;
    ck_assert_int_eq(ns_dbpath_tmp_claim(tp("t"), "db", &made, &err), 0);
    make_db("t/shard-0", 1);
    make_db("t/lock", 1);
    put("t/resumable", "");
    ck_assert_int_eq(ns_dbpath_tmp_remove(tp("t"), NULL), 0);
    ck_assert(!exists("t"));

    /* a swapped-out database holding a file of the user's: only Xapian's
     * files go, the file and the folders holding it stay */
    ck_assert_int_eq(ns_dbpath_tmp_claim(tp("t"), "db", &made, &err), 0);
    make_db("t/new", 1);
    put("t/new/README", "notes\n");
    make_db("t/shard-3", 1);
    char *kept = NULL;
    ck_assert_int_eq(ns_dbpath_tmp_remove(tp("t"), &kept), 1);
    ck_assert_str_eq(kept, "new/README");
    free(kept);
    ck_assert(exists("t/new/README"));
    ck_assert(!exists("t/new/iamglass"));
    ck_assert(!exists("t/shard-3"));

    /* an entry of another name stays, and the folder with it */
    ck_assert_int_eq(unlink(tp("t/new/README")), 0);
    put("t/other", "?\n");
    ck_assert_int_eq(ns_dbpath_tmp_remove(tp("t"), &kept), 1);
    ck_assert_str_eq(kept, "other");
    free(kept);
    ck_assert(exists("t/other"));
    ck_assert(!exists("t/new"));
}
END_TEST

START_TEST(tmp_clean_keeps_the_shards_in_use)
{
    ns_err err = { 0, "" };
    int made;
    ck_assert_int_eq(ns_dbpath_tmp_claim(tp("t"), "db", &made, &err), 0);
    make_db("t/shard-0", 1);
    make_db("t/shard-1", 1);
    make_db("t/shard-2", 1);
    make_db("t/shard-1.1", 1);   /* a shard's later databases go with it */
    make_db("t/shard-2.1", 1);
    make_db("t/lock", 1);
    make_db("t/new", 1);
    put("t/resumable", "");
    put("t/notes.txt", "?\n");
    put("t/shard-1.x", "?\n");   /* not a name nindex gives */
    ns_dbpath_tmp_clean(tp("t"), 2, 1);
    ck_assert(exists("t/shard-0") && exists("t/shard-1") && !exists("t/shard-2"));
    ck_assert(exists("t/shard-1.1") && !exists("t/shard-2.1") && exists("t/shard-1.x"));
    ck_assert(exists("t/lock") && exists("t/resumable") && !exists("t/new"));
    ck_assert(exists("t/notes.txt") && ns_dbpath_tmp_marked(tp("t")));
    ns_dbpath_tmp_clean(tp("t"), 0, 0);
    ck_assert(!exists("t/shard-0") && !exists("t/lock") && exists("t/notes.txt"));
    ck_assert(!exists("t/shard-1.1"));
}
END_TEST

START_TEST(install_replaces_nothing_but_an_old_database)
{
    ns_err err = { 0, "" };
    /* into an empty folder: moved in, the folder kept */
    make_db("fresh", 1);
    ck_assert_int_eq(mkdir(tp("empty"), 0777), 0);
    struct stat before, after;
    ck_assert_int_eq(stat(tp("empty"), &before), 0);
    ck_assert_msg(ns_dbpath_install(tp("fresh"), tp("empty"), NS_DBPATH_MOVE_INTO, tp("old"),
                                    &err) == 0, "%s", err.msg);
    ck_assert_int_eq(stat(tp("empty"), &after), 0);
    ck_assert(before.st_ino == after.st_ino);
    ck_assert(exists("empty/iamglass") && !exists("fresh"));

    /* a name taken in the folder meanwhile: nothing replaced, all back */
    make_db("fresh", 1);
    ck_assert_int_eq(mkdir(tp("taken"), 0777), 0);
    put("taken/postlist.glass", "mine\n");
    ck_assert_int_eq(ns_dbpath_install(tp("fresh"), tp("taken"), NS_DBPATH_MOVE_INTO, tp("old"),
                                       &err), NS_EIO);
    ck_assert(exists("fresh/iamglass") && exists("fresh/postlist.glass"));
    ck_assert(!exists("taken/iamglass"));
    FILE *f = fopen(tp("taken/postlist.glass"), "r");
    char line[16] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    ck_assert_str_eq(line, "mine\n");

    /* a rename where something now is: refused */
    ck_assert_int_eq(ns_dbpath_install(tp("fresh"), tp("taken"), NS_DBPATH_RENAME, tp("old"),
                                       &err), NS_EIO);
    ck_assert(exists("fresh/iamglass"));
    /* an exchange: the old database ends up where the new one was */
    make_db("db", 1);
    put("db/marker-old", "");
    ck_assert_int_eq(ns_dbpath_install(tp("fresh"), tp("db"), NS_DBPATH_EXCHANGE, tp("old"), &err),
                     0);
    ck_assert(!exists("db/marker-old"));
    ck_assert(exists("fresh/marker-old") || exists("old/marker-old"));
}
END_TEST

static Suite *dbpath_suite(void)
{
    return FIXTURE_SUITE("dbpath", "core", tempdir_setup, tempdir_teardown, 60,
                         resolve_follows_links_to_a_target_not_built_yet,
                         resolve_refuses_a_missing_folder_and_a_link_loop,
                         classify_names_what_is_not_a_database,
                         classify_finds_an_nsearch_database_and_what_else_it_holds,
                         overlap_by_whole_path_components,
                         tmp_claim_takes_only_what_is_nindex_s,
                         tmp_remove_keeps_what_nindex_did_not_make,
                         tmp_clean_keeps_the_shards_in_use,
                         install_replaces_nothing_but_an_old_database);
}

FIXTURE_MAIN(dbpath_suite)
