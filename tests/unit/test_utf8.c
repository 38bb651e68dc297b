/* test_utf8.c: the UTF-8 character count shared by the searcher's widths
 * and caps (src/utf8.h). */
#include "utf8.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(characters_not_bytes_are_counted)
{
    ck_assert_uint_eq(ns_utf8_chars("", 0), 0);
    ck_assert_uint_eq(ns_utf8_chars("abc", 3), 3);
    const char *ru = "привет";  /* 6 letters, 12 bytes */
    ck_assert_uint_eq(strlen(ru), 12);
    ck_assert_uint_eq(ns_utf8_chars(ru, strlen(ru)), 6);
    const char *mix = "a\xe2\x80\x99z\xf0\x9f\x98\x80";  /* a ’ z U+1F600 */
    ck_assert_uint_eq(ns_utf8_chars(mix, strlen(mix)), 4);
    ck_assert_uint_eq(ns_utf8_chars(ru, 3), 2);  /* a cut sequence: its lead counts */
}
END_TEST

static Suite *utf8_suite(void)
{
    return FIXTURE_SUITE("utf8", "core", NULL, NULL, 0,
                         characters_not_bytes_are_counted);
}

FIXTURE_MAIN(utf8_suite)
