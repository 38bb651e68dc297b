/* test_buf.c: the growable buffer: appends at every fill level keep the
 * contents and the NUL, printf formats whatever its length, numbers. */
#include "buf.h"
#include "fixture.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* printf after every amount already there and of every length around the
 * room it first formats into (the long ones are formatted twice) */
START_TEST(printf_appends_any_length_at_any_fill)
{
    char want[1200], arg[600];
    for (size_t pre = 0; pre < 300; pre += 7) {
        for (size_t n = 0; n < 560; n += 3) {
            ns_buf b = NS_BUF_INIT;
            memset(arg, 'x', n);
            arg[n] = '\0';
            for (size_t i = 0; i < pre; i++)
                ck_assert_int_eq(ns_buf_putc(&b, (char)('a' + i % 26)), 0);
            ck_assert_int_eq(ns_buf_printf(&b, "<%s|%d>", arg, (int)n), 0);
            for (size_t i = 0; i < pre; i++)
                want[i] = (char)('a' + i % 26);
            snprintf(want + pre, sizeof want - pre, "<%s|%d>", arg, (int)n);
            ck_assert_uint_eq(b.len, strlen(want));
            ck_assert_str_eq(ns_buf_cstr(&b), want);
            ck_assert_int_eq(b.data[b.len], '\0');
            ns_buf_free(&b);
        }
    }
}
END_TEST

START_TEST(printf_of_nothing_leaves_an_empty_string)
{
    ns_buf b = NS_BUF_INIT;
    ck_assert_int_eq(ns_buf_printf(&b, "%s", ""), 0);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_str_eq(ns_buf_cstr(&b), "");
    ns_buf_free(&b);
}
END_TEST

START_TEST(putc_keeps_the_nul_through_every_growth)
{
    ns_buf b = NS_BUF_INIT;
    for (size_t i = 0; i < 5000; i++) {
        ck_assert_int_eq(ns_buf_putc(&b, (char)('0' + i % 10)), 0);
        ck_assert_uint_eq(b.len, i + 1);
        ck_assert_int_eq(b.data[b.len], '\0');
        ck_assert_int_eq(b.data[i], '0' + (int)(i % 10));
    }
    ns_buf_free(&b);
}
END_TEST

START_TEST(putu_writes_decimal)
{
    static const unsigned long v[] = { 0, 7, 10, 99, 100, 4294967295UL, ULONG_MAX };
    char want[64];
    ns_buf b = NS_BUF_INIT;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        ns_buf_reset(&b);
        ck_assert_int_eq(ns_buf_puts(&b, "n="), 0);
        ck_assert_int_eq(ns_buf_putu(&b, v[i]), 0);
        snprintf(want, sizeof want, "n=%lu", v[i]);
        ck_assert_str_eq(ns_buf_cstr(&b), want);
    }
    ns_buf_free(&b);
}
END_TEST

static Suite *S_suite(void)
{
    return FIXTURE_SUITE("buf", "core", NULL, NULL, 0, printf_appends_any_length_at_any_fill,
                         printf_of_nothing_leaves_an_empty_string,
                         putc_keeps_the_nul_through_every_growth, putu_writes_decimal);
}

FIXTURE_MAIN(S_suite)
