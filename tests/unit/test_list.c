/* test_list.c: pointer arrays and string lists (src/list.h). */
#include "list.h"

#include "fixture.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

START_TEST(pointers_are_appended_in_order_past_the_first_capacity)
{
    int **v = NULL;
    size_t n = 0, cap = 0;
    static int items[600];
    for (int i = 0; i < 600; i++)
        ck_assert_int_eq(ns_ptrs_push(&v, &n, &cap, &items[i]), 0);
    ck_assert_uint_eq(n, 600);
    ck_assert_uint_eq(cap, 1024);
    for (int i = 0; i < 600; i++)
        ck_assert_ptr_eq(v[i], &items[i]);
    free(v);
}
END_TEST

START_TEST(strings_are_copied_found_and_freed)
{
    char **l = NULL;
    size_t n = 0;
    char src[] = "alpha beta";
    ck_assert_int_eq(ns_strs_add(&l, &n, src, 5), 0);
    ck_assert_int_eq(ns_strs_add(&l, &n, src + 6, 4), 0);
    ck_assert_int_eq(ns_strs_add(&l, &n, "", 0), 0);
    src[0] = 'X';  /* copies, not borrowed */
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(l[0], "alpha");
    ck_assert_str_eq(l[1], "beta");
    ck_assert_str_eq(l[2], "");
    ck_assert_int_eq(ns_strs_find(l, n, "beta", 4), 1);
    ck_assert_int_eq(ns_strs_find(l, n, "bet", 3), -1);
    ck_assert_int_eq(ns_strs_find(l, n, "", 0), 2);
    ck_assert_int_eq(ns_strs_find(NULL, 0, "a", 1), -1);
    ns_strs_free(l, n);
    ns_strs_free(NULL, 0);
}
END_TEST

static Suite *list_suite(void)
{
    return FIXTURE_SUITE("list", "core", NULL, NULL, 0,
                         pointers_are_appended_in_order_past_the_first_capacity,
                         strings_are_copied_found_and_freed);
}

FIXTURE_MAIN(list_suite)
