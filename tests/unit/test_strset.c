/* test_strset.c: the string set (src/strset.h): each string once, by its
 * bytes, across the set's growth, and a list kept free of repeats with it. */
#include "strset.h"

#include "list.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(each_string_is_added_once)
{
    ns_strset s = NS_STRSET_INIT;
    int added = -1;
    char key[16];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 1000; i++) {
            snprintf(key, sizeof key, "w%d", i);
            ck_assert_int_eq(ns_strset_add(&s, key, strlen(key), &added), 0);
            ck_assert_int_eq(added, round == 0);
        }
    ck_assert_uint_eq(s.n, 1000);
    /* by its bytes: "w1" (the first two of "w10") is there, "w" is not */
    ck_assert_int_eq(ns_strset_add(&s, "w10", 2, &added), 0);
    ck_assert_int_eq(added, 0);
    ck_assert_int_eq(ns_strset_add(&s, "w", 1, &added), 0);
    ck_assert_int_eq(added, 1);
    ns_strset_free(&s);
    ck_assert_uint_eq(s.n, 0);
    ck_assert_ptr_null(s.slot);
}
END_TEST

START_TEST(a_list_keeps_the_first_of_each)
{
    ns_strset seen = NS_STRSET_INIT;
    char **l = NULL;
    size_t n = 0;
    const char *in[] = { "OpenAI", "Google", "OpenAI", "google", "Google" };
    for (size_t i = 0; i < 5; i++)
        ck_assert_int_eq(ns_strs_add_new(&l, &n, &seen, in[i], strlen(in[i])), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(l[0], "OpenAI");
    ck_assert_str_eq(l[1], "Google");
    ck_assert_str_eq(l[2], "google");
    ns_strs_free(l, n);
    ns_strset_free(&seen);
}
END_TEST

static Suite *strset_suite(void)
{
    return FIXTURE_SUITE("strset", "core", NULL, NULL, 0,
                         each_string_is_added_once,
                         a_list_keeps_the_first_of_each);
}

FIXTURE_MAIN(strset_suite)
