/* test_qfilter.c: the query language's filters (searcher/qfilter.h) on their
 * own, checked through the Xapian description of each filter's query. */
#include "qfilter.h"

#include "fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The description of *px (freed), or "ERR <msg>" when rc < 0, into buf. */
static const char *S_desc(int rc, ns_xquery **px, const ns_err *err, char *buf, size_t size)
{
    ns_xquery *x = *px;
    if (rc < 0) {
        ck_assert_ptr_null(x);
        snprintf(buf, size, "ERR %s", err->msg);
        return buf;
    }
    char *d = ns_xquery_describe(x);
    snprintf(buf, size, "%s", d);
    free(d);
    ns_xquery_free(x);
    return buf;
}

#define MONTH(s) (x = NULL, S_desc(ns_qfilter_month(&x, s, strlen(s), NULL, &err), &x, &err, b, sizeof b))
#define LANG(s) (x = NULL, S_desc(ns_qfilter_lang(&x, s, strlen(s), NULL, &err), &x, &err, b, sizeof b))
#define VENDOR(v, s)                                                                             \
    (x = NULL, S_desc(ns_qfilter_vendor(&x, A, v, s, strlen(s), NULL, &err), &x, &err, b, sizeof b))

START_TEST(a_month_is_its_term_and_a_range_the_date_slot)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    char b[256];
    ck_assert_str_eq(MONTH("2020-10"), "Query(XM2020-10)");
    ck_assert_str_eq(MONTH("2020-10..2020-12"), "Query(VALUE_RANGE 0 20201001 20201231)");
    ck_assert_str_eq(MONTH("2020-10..2020-10"), "Query(VALUE_RANGE 0 20201001 20201031)");
}
END_TEST

START_TEST(bad_months_are_NS_ESYNTAX_naming_the_bad_part)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    char b[256];
    ck_assert_str_eq(MONTH("2020-13"), "ERR month '2020-13' is not a valid YYYY-MM");
    ck_assert_int_eq(err.code, NS_ESYNTAX);
    ck_assert_str_eq(MONTH(""), "ERR month '' is not a valid YYYY-MM");
    ck_assert_str_eq(MONTH("2020-1x..2020-12"), "ERR month '2020-1x' is not a valid YYYY-MM");
    ck_assert_str_eq(MONTH("2020-10.."), "ERR month '' is not a valid YYYY-MM");
    ck_assert_str_eq(MONTH("2021-01..2020-12"),
                     "ERR month range '2021-01..2020-12' ends before it starts");
}
END_TEST

START_TEST(lang_is_en_or_ru_in_either_case)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    char b[256];
    ck_assert_str_eq(LANG("en"), "Query(Len)");
    ck_assert_str_eq(LANG("RU"), "Query(Lru)");
    ck_assert_str_eq(LANG("de"), "ERR lang 'de' is not en or ru");
    ck_assert_str_eq(LANG("english"), "ERR lang 'english' is not en or ru");
    ck_assert_int_eq(err.code, NS_ESYNTAX);
}
END_TEST

START_TEST(vendors_are_found_by_alias_and_unknown_ones_match_their_folded_name)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    char b[256];
    ck_assert_str_eq(VENDOR(V, "Nobody"), "Query(XVnobody)");
    ck_assert_str_eq(VENDOR(NULL, "Nobody"), "Query(XVnobody)");
    ck_assert_str_eq(VENDOR(V, ""), "ERR vendor filter needs a name");
    ck_assert_int_eq(err.code, NS_ESYNTAX);
}
END_TEST

START_TEST(a_vendor_name_no_term_can_hold_matches_nothing)
{
    ns_xquery *x;
    ns_err err = { 0, "" };
    char b[512];
    char name[300];
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    ck_assert_str_eq(VENDOR(V, name), "Query(\\x01)");
    ck_assert_str_eq(VENDOR(V, "!!!"), "Query(XV!!!)");
    ck_assert_int_eq(ns_qfilter_nothing(&x, &err), 0);
    ck_assert_str_eq(S_desc(0, &x, &err, b, sizeof b), "Query(\\x01)");
}
END_TEST

static Suite *qfilter_suite(void)
{
    return FIXTURE_SUITE("qfilter", "core", fixture_setup, fixture_teardown, 0,
                         a_month_is_its_term_and_a_range_the_date_slot,
                         bad_months_are_NS_ESYNTAX_naming_the_bad_part,
                         lang_is_en_or_ru_in_either_case,
                         vendors_are_found_by_alias_and_unknown_ones_match_their_folded_name,
                         a_vendor_name_no_term_can_hold_matches_nothing);
}

FIXTURE_MAIN(qfilter_suite)
