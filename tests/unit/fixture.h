/* fixture.h: what the unit test programs share: a suite of one test case
 * made from the list of its tests, the main() that runs one suite (its exit
 * status says whether any test failed), and the analyzer
 * and vendor table that the tests of analysis, queries and documents set up
 * for each test (fixture_setup, fixture_teardown as a checked fixture).
 * Included once by each test program; its statics are unused in some. */
#ifndef NS_TEST_FIXTURE_H
#define NS_TEST_FIXTURE_H

#include "analyze.h"
#include "vendors.h"

#include <check.h>
#include <stdlib.h>

/* A suite of one test case, tcase, of the tests given (each a START_TEST
 * name), run each with the checked fixture setup and teardown (either may
 * be NULL) and, when timeout > 0, that many seconds at most. */
__attribute__((unused)) static Suite *fixture_suite(const char *name, const char *tcase,
                                                    void (*setup)(void), void (*teardown)(void),
                                                    double timeout, const TTest *const *tests,
                                                    size_t ntests)
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(tcase);
    if (setup || teardown)
        tcase_add_checked_fixture(tc, setup, teardown);
    if (timeout > 0)
        tcase_set_timeout(tc, timeout);
    for (size_t i = 0; i < ntests; i++)
        tcase_add_test(tc, tests[i]);
    suite_add_tcase(s, tc);
    return s;
}

/* fixture_suite with the tests listed: FIXTURE_SUITE("str", "core", NULL,
 * NULL, 0, a_test, another_test). */
#define FIXTURE_SUITE(name, tcase, setup, teardown, timeout, ...)                                 \
    fixture_suite(name, tcase, setup, teardown, timeout, (const TTest *const[]){ __VA_ARGS__ },  \
                  sizeof((const TTest *const[]){ __VA_ARGS__ }) / sizeof(const TTest *))

/* The malloc'd string expr gives equals want; then it is freed. The
 * programs' CHECK_ macros name what they check through this. */
#define FIXTURE_STR_EQ(expr, want)                                                               \
    do {                                                                                         \
        char *got_ = (expr);                                                                     \
        ck_assert_ptr_nonnull(got_);                                                             \
        ck_assert_str_eq(got_, want);                                                            \
        free(got_);                                                                              \
    } while (0)

/* Run suite s: EXIT_SUCCESS when every test passed. */
__attribute__((unused)) static int fixture_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The main() of a test program of one suite, made by suite_fn(). */
#define FIXTURE_MAIN(suite_fn)                                                                   \
    int main(void)                                                                               \
    {                                                                                            \
        return fixture_run(suite_fn());                                                          \
    }

/* One analyzer and the vendor table, new for each test. */
__attribute__((unused)) static ns_analyzer *A;
__attribute__((unused)) static ns_vendors *V;

__attribute__((unused)) static void fixture_setup(void)
{
    ns_err err = { 0, "" };
    ck_assert_int_eq(ns_analyzer_new(&A, &err), 0);
    ck_assert_int_eq(ns_vendors_new(&V, A, &err), 0);
}

__attribute__((unused)) static void fixture_teardown(void)
{
    ns_vendors_free(V);
    ns_analyzer_free(A);
    A = NULL;
    V = NULL;
}

#endif
