/* test_walk.c: the walk of the indexing engine (indexer/walk.c): which files
 * it finds under the PATHs given, in what order, each once whatever links
 * and repeated PATHs lead to it, and what it reports. */
#define _XOPEN_SOURCE 700
#include "tempdir.h"
#include "runfix.h"
#include "fixture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Walk the PATHs (names under tmpdir); R is left for the test to read. */
static void walk(run *R, ns_index_opts *o, ns_index_stats *st, const char *const *names, size_t n)
{
    static char paths[4][256];
    const char *p[4];
    ck_assert_uint_le(n, 4);
    for (size_t i = 0; i < n; i++) {
        tempdir_path(paths[i], sizeof paths[i], names[i]);
        p[i] = paths[i];
    }
    runfix_opts(o, NULL);
    memset(st, 0, sizeof *st);
    ns_run_init(R, o, st);
    ns_err err = { 0, "" };
    ck_assert_msg(ns_setup_roots(R, p, n, &err) == 0, "%s", err.msg);
    ck_assert_msg(ns_walk(R, &err) == 0, "%s", err.msg);
}

/* The processing order as "default_id,default_id,". */
static const char *order(const run *R)
{
    static char s[1024];
    s[0] = '\0';
    for (size_t i = 0; i < R->ntodo; i++) {
        size_t used = strlen(s);
        snprintf(s + used, sizeof s - used, "%s,", R->todo[i]->default_id);
    }
    return s;
}

START_TEST(articles_are_found_in_name_order_and_dot_entries_skipped)
{
    tempdir_mkdir("a");
    tempdir_mkdir("a/sub");
    tempdir_mkdir("a/.git");
    runfix_write("a/x.md", "x");
    runfix_write("a/sub/y.md", "y");
    runfix_write("a/.draft.md", "d");
    runfix_write("a/.git/z.md", "z");
    runfix_write("a/notes.txt", "n");
    runfix_write("a/md", "n");
    run R;
    ns_index_opts o;
    ns_index_stats st;
    const char *names[] = { "a" };
    walk(&R, &o, &st, names, 1);
    ck_assert_str_eq(order(&R), "sub/y,x,");
    ck_assert_str_eq(R.todo[0]->display + strlen(tmpdir), "/a/sub/y.md");
    ck_assert_int_eq(R.todo[0]->wsize, 1);
    ck_assert_str_eq(reported, "");
    ns_run_free(&R);
}
END_TEST

START_TEST(each_file_is_found_once_whatever_leads_to_it)
{
    tempdir_mkdir("a");
    tempdir_mkdir("a/sub");
    runfix_write("a/sub/y.md", "y");
    char target[256], link[256];
    tempdir_path(link, sizeof link, "a/sub/loop");
    ck_assert_int_eq(symlink("..", link), 0);          /* a cycle */
    tempdir_path(link, sizeof link, "a/again.md");
    ck_assert_int_eq(symlink("sub/y.md", link), 0);    /* the same file */
    tempdir_path(target, sizeof target, "a/sub/y.md");
    run R;
    ns_index_opts o;
    ns_index_stats st;
    const char *names[] = { "a", "a/sub", "a/sub/y.md" };
    walk(&R, &o, &st, names, 3);
    ck_assert_str_eq(order(&R), "sub/y,");
    ck_assert_str_eq(reported, "");
    ns_run_free(&R);
}
END_TEST

START_TEST(a_link_leading_outside_is_reported_and_skipped)
{
    tempdir_mkdir("a");
    tempdir_mkdir("out");
    runfix_write("out/o.md", "o");
    char link[256];
    tempdir_path(link, sizeof link, "a/o.md");
    ck_assert_int_eq(symlink("../out/o.md", link), 0);
    tempdir_path(link, sizeof link, "a/broken.md");
    ck_assert_int_eq(symlink("nowhere.md", link), 0);
    run R;
    ns_index_opts o;
    ns_index_stats st;
    const char *names[] = { "a" };
    walk(&R, &o, &st, names, 1);
    /* the broken link is a file that cannot be read, found with its errno */
    ck_assert_str_eq(order(&R), "broken,");
    ck_assert_int_eq(R.todo[0]->stat_errno, ENOENT);
    ck_assert_msg(strstr(reported, "W ") == reported && strstr(reported, "/a/o.md: symbolic link to '") &&
                      strstr(reported, "leads outside the PATHs given: skipped"),
                  "%s", reported);
    ns_run_free(&R);
}
END_TEST

static Suite *walk_suite(void)
{
    return FIXTURE_SUITE("walk", "core", tempdir_setup, tempdir_teardown, 0,
                         articles_are_found_in_name_order_and_dot_entries_skipped,
                         each_file_is_found_once_whatever_leads_to_it,
                         a_link_leading_outside_is_reported_and_skipped);
}

FIXTURE_MAIN(walk_suite)
