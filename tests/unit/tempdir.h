/* tempdir.h: a fresh directory for each test of a Check program, removed
 * with all it holds afterwards. Register with
 *   tcase_add_checked_fixture(tc, tempdir_setup, tempdir_teardown);
 * and build paths under `tmpdir` (tempdir_path). Included by one test program each (it
 * defines static functions); needs _XOPEN_SOURCE 700 for nftw. */
#ifndef NS_TEST_TEMPDIR_H
#define NS_TEST_TEMPDIR_H

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static char tmpdir[64];

static void tempdir_setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s", "/tmp/nsearch-test.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int tempdir_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void tempdir_teardown(void)
{
    nftw(tmpdir, tempdir_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmpdir/name */
__attribute__((unused)) static void tempdir_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", tmpdir, name);
}

/* Make the folder tmpdir/name. */
__attribute__((unused)) static void tempdir_mkdir(const char *name)
{
    char path[256];
    tempdir_path(path, sizeof path, name);
    ck_assert_msg(mkdir(path, 0777) == 0, "mkdir %s", path);
}

#endif
