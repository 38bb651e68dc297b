/* test_err.c: the errno message helper (src/err.h): the system's words for
 * an errno value, in the caller's buffer, cut to it and never unterminated. */
#include "err.h"

#include "fixture.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

START_TEST(an_errno_value_gives_the_system_message)
{
    char buf[NS_ERRNO_MSG_MAX];
    const char *m = ns_errno_msg(ENOENT, buf, sizeof buf);
    ck_assert_ptr_eq(m, buf);
    ck_assert_str_eq(m, "No such file or directory");
    ck_assert_str_eq(ns_errno_msg(EACCES, buf, sizeof buf), "Permission denied");
}
END_TEST

START_TEST(a_small_buffer_stays_a_string)
{
    char buf[4] = "xyz";
    const char *m = ns_errno_msg(ENOENT, buf, sizeof buf);
    ck_assert_uint_lt(strlen(m), sizeof buf);
    ck_assert_str_eq(ns_errno_msg(ENOENT, buf, 0), "");
}
END_TEST

static Suite *err_suite(void)
{
    return FIXTURE_SUITE("err", "core", NULL, NULL, 0,
                         an_errno_value_gives_the_system_message,
                         a_small_buffer_stays_a_string);
}

FIXTURE_MAIN(err_suite)
