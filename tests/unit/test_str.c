/* test_str.c: the small string helpers. */
#include "str.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(strndup_copies_exactly_len_bytes_including_NULs)
{
    char *p = ns_strndup("a\0bc", 3);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(memcmp(p, "a\0b", 3), 0);
    ck_assert_int_eq(p[3], '\0');
    free(p);
}
END_TEST

START_TEST(trim_drops_ascii_space_at_both_ends_only)
{
    const char *s = " \t\r\n a b \v\f";
    size_t len = strlen(s);
    ns_trim(&s, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert_int_eq(strncmp(s, "a b", 3), 0);
}
END_TEST

START_TEST(trim_of_only_space_is_empty)
{
    const char *s = "  \n ";
    size_t len = strlen(s);
    ns_trim(&s, &len);
    ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(non_ascii_bytes_are_not_space)
{
    ck_assert(!ns_is_space((char)0xA0));  /* a byte of U+00A0 in UTF-8, not a space by itself */
    ck_assert(!ns_is_space('x'));
    ck_assert(ns_is_space('\f'));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("str");
    TCase *tc = tcase_create("str");
    tcase_add_test(tc, strndup_copies_exactly_len_bytes_including_NULs);
    tcase_add_test(tc, trim_drops_ascii_space_at_both_ends_only);
    tcase_add_test(tc, trim_of_only_space_is_empty);
    tcase_add_test(tc, non_ascii_bytes_are_not_space);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
