/* test_stopwords.c: the stopword table (src/stopwords.h): both languages'
 * lists, comments and blanks in them ignored, exact matches only. */
#include "stopwords.h"

#include "fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static int S_stop(const char *w)
{
    return ns_stopwords_find_h(ns_stopwords_hash(w, strlen(w)), w, strlen(w));
}

START_TEST(both_languages_lists_are_loaded)
{
    ns_stopwords_init();
    ck_assert(S_stop("the"));
    ck_assert(S_stop("and"));
    ck_assert(S_stop("и"));
    ck_assert(S_stop("еще"));
}
END_TEST

START_TEST(only_whole_folded_words_match)
{
    ns_stopwords_init();
    ck_assert(!S_stop("model"));
    ck_assert(!S_stop("th"));
    ck_assert(!S_stop("thee"));
    ck_assert(!S_stop("The")); /* callers look words up folded */
    ck_assert(!S_stop(""));
    ck_assert(!S_stop("#")); /* comments in the lists are no words */
}
END_TEST

START_TEST(init_twice_changes_nothing)
{
    ns_stopwords_init();
    ns_stopwords_init();
    ck_assert(S_stop("the"));
    ck_assert(!S_stop("model"));
}
END_TEST

START_TEST(the_hash_is_fnv1a)
{
    ck_assert_uint_eq(ns_stopwords_hash("", 0), 2166136261u);
    ck_assert_uint_eq(ns_stopwords_hash("a", 1), 0xE40C292Cu);
    ck_assert_uint_eq(ns_stopwords_hash("foobar", 6), 0xBF9CF968u);
}
END_TEST

static Suite *stopwords_suite(void)
{
    return FIXTURE_SUITE("stopwords", "core", NULL, NULL, 0,
                         both_languages_lists_are_loaded,
                         only_whole_folded_words_match,
                         init_twice_changes_nothing,
                         the_hash_is_fnv1a);
}

FIXTURE_MAIN(stopwords_suite)
