/* fixture.h: what the unit test programs share: the main() that runs one
 * suite (its exit status says whether any test failed), and the analyzer
 * and vendor table that the tests of analysis, queries and documents set up
 * for each test (fixture_setup, fixture_teardown as a checked fixture).
 * Included once by each test program; its statics are unused in some. */
#ifndef NS_TEST_FIXTURE_H
#define NS_TEST_FIXTURE_H

#include "analyze.h"
#include "vendors.h"

#include <check.h>
#include <stdlib.h>

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
